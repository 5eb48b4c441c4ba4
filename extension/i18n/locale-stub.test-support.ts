/**
 * chrome.i18n over the real locale files (what the build ships), for tests of code that calls t():
 * a test then reads the sentence a user would see, not a key.
 */
import { join, resolve } from "node:path";
import { vi } from "vitest";
import { readLocales } from "../../scripts/locales.mjs";

const locales = readLocales(join(resolve(import.meta.dirname, "../.."), "extension/locales"));

export function stubChromeI18n(lang: "en" | "de" = "en"): void {
  const messages = locales[lang]!;
  vi.stubGlobal("chrome", {
    i18n: {
      getMessage: (key: string, subs: string[] = []) => messages[key]?.replace(/\$([1-9])/g, (_, n: string) => subs[Number(n) - 1] ?? ""),
      getUILanguage: () => lang,
    },
  });
}
