/**
 * Every user-visible string of the extension's pages and worker goes through `t`, which reads
 * `_locales/<lang>/messages.json` (built from extension/locales/<lang>/*.json) via chrome.i18n.
 * Substitutions are `$1`…`$9` in the source texts. A key missing at run time shows as the key itself,
 * never as an empty string, so the gap is visible; translate.test.ts fails the build for any key a
 * source file uses that the default locale does not define.
 */
export function t(key: string, ...substitutions: Array<string | number>): string {
  const text = globalThis.chrome?.i18n?.getMessage(key, substitutions.map(String));
  return text ? text : key;
}

/** The UI language Chrome chose (for Intl date/number formatting next to translated text). */
export function uiLanguage(): string {
  return globalThis.chrome?.i18n?.getUILanguage?.() ?? "en";
}
