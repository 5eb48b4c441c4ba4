/** Types of locales.mjs for the TypeScript side (its test, extension/ui/i18n.test.ts). */
export declare const DEFAULT_LOCALE: string;
export declare function readLocales(dir: string): Record<string, Record<string, string>>;
export declare function chromeMessages(messages: Record<string, string>): Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
export declare function localesDir(root: string): string | undefined;
