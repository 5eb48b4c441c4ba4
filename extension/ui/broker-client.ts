/**
 * How the popup and options page talk to the service worker: one chrome.runtime message per call,
 * answered with a BrokerResponse (`{ok:true, value} | {ok:false, error}`); failures throw AuthShellErrors.
 */
import { unwrapResponse } from "../../shared/protocol/broker-messages.js";
import type { UiRequest, UiResponseMap } from "../background/ui-protocol.js";

export async function callBroker<K extends UiRequest["kind"]>(
  request: Extract<UiRequest, { kind: K }>,
): Promise<UiResponseMap[K]> {
  return unwrapResponse<UiResponseMap[K]>(await chrome.runtime.sendMessage(request));
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
