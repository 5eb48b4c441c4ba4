/**
 * Refusal sentences for createExtensionBroker's settings check. Inside this extension they come from
 * its locale (chrome.i18n); another extension built on the `extension-broker` package has no
 * `_locales` of ours, so it gets the English texts shipped with the library instead of bare keys.
 * Only the validator's own sentences (locales/<lang>/validation.json) ship: the whole options page's
 * texts were once bundled here, 2 kB gzipped that no library user could see (decision 0006).
 */
import validation from "../locales/en/validation.json";
import { t } from "../i18n/translate.js";

const ENGLISH: Readonly<Record<string, string>> = validation;

export function settingsSentence(key: string, ...subs: string[]): string {
  const text = t(key, ...subs);
  if (text !== key) return text;
  const english = ENGLISH[key];
  return english ? english.replace(/\$([1-9])/g, (_, n: string) => subs[Number(n) - 1] ?? "") : [key, ...subs].join(" ");
}
