/**
 * How the popup and options page talk to the service worker: one chrome.runtime message per call on
 * the UI channel (shared/protocol/ui-channel.ts), typed by its UiMethods map; failures throw AuthShellErrors.
 */
import { callUi, type UiKind, type UiRequest, type UiResponses } from "../../shared/protocol/ui-channel.js";

export function callBroker<K extends UiKind>(request: UiRequest<K>): Promise<UiResponses[K]> {
  return callUi<K>((message) => chrome.runtime.sendMessage(message), request);
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
