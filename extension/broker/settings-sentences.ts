/**
 * Refusal sentences for createExtensionBroker's settings check. Inside this extension they come from
 * its locale (chrome.i18n); another extension built on the `extension-broker` package has no
 * `_locales` of ours, so it gets the English texts shipped with the library instead of bare keys.
 */
import grants from "../locales/en/grants.json";
import options from "../locales/en/options.json";
import { t } from "../i18n/translate.js";

const ENGLISH: Record<string, string> = { ...options, ...grants };

export function settingsSentence(key: string, ...subs: string[]): string {
  const text = t(key, ...subs);
  if (text !== key) return text;
  const english = ENGLISH[key];
  return english ? english.replace(/\$([1-9])/g, (_, n: string) => subs[Number(n) - 1] ?? "") : [key, ...subs].join(" ");
}
