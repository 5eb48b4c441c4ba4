/**
 * How the popup and options page talk to the service worker: one chrome.runtime message per call on
 * the UI channel (shared/protocol/ui-channel.ts), typed by its UiMethods map; failures throw AuthShellErrors.
 */
import { callUi, type UiKind, type UiRequest, type UiResponses } from "../protocol/ui-channel.js";
import { errorSentence } from "../i18n/error-text.js";
import { browser } from "../platform/browser-api.js";

export function callBroker<K extends UiKind>(request: UiRequest<K>): Promise<UiResponses[K]> {
  return callUi<K>((message) => browser.runtime.sendMessage(message), request);
}

/**
 * A failed call as the user reads it: a translated sentence from the error's code and wait, never the
 * worker's English developer message (which may name internal keys). See i18n/error-text.ts.
 */
export function errorText(error: unknown): string {
  return errorSentence(error);
}
