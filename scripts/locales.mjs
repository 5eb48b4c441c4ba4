// The extension's user-visible strings: `extension/locales/<lang>/<area>.json`, one flat file per UI area
// (so features add strings without editing one shared file), merged by the build into Chrome's
// `_locales/<lang>/messages.json`. Source texts use `$1`…`$9` for substitutions; the build turns each into
// a named placeholder, the format chrome.i18n.getMessage documents. Any inconsistency stops the build
// with a sentence naming the file and key, so a missing translation never ships as an empty string.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

export const DEFAULT_LOCALE = "en";
const KEY = /^[A-Za-z][A-Za-z0-9_]*$/;
const substitutions = (text) => [...new Set(text.match(/\$[1-9]/g) ?? [])].sort();

/** Reads every locale under `dir` → { lang: { key: text } }; throws a sentence on the first problem. */
export function readLocales(dir) {
  const locales = {};
  for (const lang of readdirSync(dir).sort()) {
    const merged = {};
    for (const file of readdirSync(join(dir, lang)).filter((f) => f.endsWith(".json")).sort()) {
      const where = `extension/locales/${lang}/${file}`;
      let entries;
      try {
        entries = JSON.parse(readFileSync(join(dir, lang, file), "utf8"));
      } catch (error) {
        throw new Error(`${where} is not valid JSON: ${error.message}`, { cause: error });
      }
      for (const [key, text] of Object.entries(entries)) {
        if (!KEY.test(key)) throw new Error(`${where}: "${key}" is not a valid message name (letters, digits and _ only)`);
        if (typeof text !== "string" || text.length === 0) throw new Error(`${where}: "${key}" must be a non-empty string`);
        if (key in merged) throw new Error(`${where}: "${key}" is already defined in another file of ${lang}`);
        merged[key] = text;
      }
    }
    locales[lang] = merged;
  }
  const base = locales[DEFAULT_LOCALE];
  if (!base) throw new Error(`extension/locales/${DEFAULT_LOCALE}/ is missing: it is the default locale`);
  for (const [lang, messages] of Object.entries(locales)) {
    for (const key of Object.keys(base)) {
      if (!(key in messages)) throw new Error(`extension/locales/${lang}: "${key}" has no translation`);
      if (substitutions(messages[key]).join() !== substitutions(base[key]).join()) {
        throw new Error(`extension/locales/${lang}: "${key}" must use the same $1…$9 substitutions as ${DEFAULT_LOCALE}`);
      }
    }
    for (const key of Object.keys(messages)) {
      if (!(key in base)) throw new Error(`extension/locales/${lang}: "${key}" does not exist in ${DEFAULT_LOCALE}`);
    }
  }
  return locales;
}

/** One locale in Chrome's messages.json format ($1 → a placeholder named p1). */
export function chromeMessages(messages) {
  const out = {};
  for (const [key, text] of Object.entries(messages)) {
    const subs = substitutions(text);
    const entry = { message: text.replace(/\$([1-9])/g, "$$P$1$$") };
    if (subs.length > 0) entry.placeholders = Object.fromEntries(subs.map((s) => [`p${s.slice(1)}`, { content: s }]));
    out[key] = entry;
  }
  return out;
}

export function localesDir(root) {
  const dir = join(root, "extension/locales");
  return existsSync(dir) ? dir : undefined;
}
