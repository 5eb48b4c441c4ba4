/**
 * Malformed, oversized and mistyped messages for fuzzing the bridge/relay (from a page) and the
 * worker's message handler (from an extension page). Deterministic (seeded) so failures reproduce.
 * These functions run inside the browser via page.evaluate, so they are self-contained.
 */

/** Page side: posts `count` junk messages to the relay and the bridge; returns the ids that should be answered. */
export function fuzzBridgeInPage(args: { count: number; seed: number; clientId: string }): { answerable: string[]; sent: number } {
  let state = args.seed >>> 0;
  const rnd = () => ((state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const pick = <T,>(list: T[]): T => list[Math.floor(rnd() * list.length)]!;
  const channel = "resilient-token-broker/naa";
  const bridge = (window as unknown as { nestedAppAuthBridge: { postMessage(m: unknown): void } }).nestedAppAuthBridge;
  const junkValues: unknown[] = [null, undefined, 0, -1, NaN, "", "x", [], {}, [1, 2], { a: 1 }, true, "x".repeat(300), 1e308];
  const answerable: string[] = [];
  let sent = 0;
  for (let i = 0; i < args.count; i++) {
    const id = `fuzz-${i}`;
    const kind = Math.floor(rnd() * 12);
    const validEnvelope = (request: string) => window.postMessage({ channel, type: "request", request }, location.origin);
    switch (kind) {
      case 0: // wrong channel / type / shape
        window.postMessage(pick([{ channel: "other", type: "request", request: "{}" }, { channel, type: "response", response: "{}" }, { channel }, "string", 42, null, [channel]]), "*");
        break;
      case 1: // request not a string
        window.postMessage({ channel, type: "request", request: pick(junkValues) }, location.origin);
        break;
      case 2: // oversized
        validEnvelope(JSON.stringify({ messageType: "NestedAppAuthRequest", method: "GetToken", requestId: id, pad: "x".repeat(70 * 1024) }));
        break;
      case 3: // not JSON
        validEnvelope(pick(["{", "}", "null", "[]", "undefined", "\u0000", "{\"a\":", "x".repeat(100)]));
        break;
      case 4: // wrong messageType / method / requestId types
        validEnvelope(JSON.stringify({ messageType: pick(["NestedAppAuthResponse", 1, null]), method: "GetToken", requestId: id }));
        validEnvelope(JSON.stringify({ messageType: "NestedAppAuthRequest", method: pick(["Hack", "", 7, null]), requestId: id }));
        validEnvelope(JSON.stringify({ messageType: "NestedAppAuthRequest", method: "GetToken", requestId: pick([7, null, "", {}, "r".repeat(400)]) }));
        break;
      case 5: // token method without tokenParams → answered with an error
      case 6: { // mistyped tokenParams → answered with an error
        const tokenParams = kind === 5 ? undefined : pick([
          { clientId: 5, scope: "User.Read", correlationId: "c" },
          { clientId: args.clientId, scope: ["User.Read"], correlationId: "c" },
          { clientId: args.clientId, scope: "", correlationId: "c" },
          { clientId: args.clientId, scope: "User.Read", correlationId: "c", authenticationScheme: "PoP" },
          { clientId: args.clientId, scope: "User.Read", correlationId: 5 },
          { clientId: args.clientId, scope: "User.Read", correlationId: "c", extraParameters: [1, 2] },
          { clientId: "", scope: "User.Read", correlationId: "c" },
          "tokenParams",
        ]);
        validEnvelope(JSON.stringify({ messageType: "NestedAppAuthRequest", method: pick(["GetToken", "GetTokenPopup"]), requestId: id, tokenParams }));
        answerable.push(id);
        break;
      }
      case 7: // a client ID the grant does not allow → refused; a scope beyond the grant → a question, declined when its wait ends
        validEnvelope(JSON.stringify({ messageType: "NestedAppAuthRequest", method: "GetToken", requestId: id, tokenParams: pick([
          { clientId: "00000000-0000-0000-0000-000000000000", scope: "User.Read", correlationId: "c" },
          { clientId: args.clientId, scope: "Mail.Send Files.ReadWrite.All", correlationId: "c" },
        ]) }));
        answerable.push(id);
        break;
      case 8: // the bridge API itself with junk arguments
        try {
          bridge.postMessage(pick(junkValues));
          bridge.postMessage(pick(["{", "x".repeat(70 * 1024), JSON.stringify({ messageType: "NestedAppAuthRequest" })]));
        } catch {
          // must not throw either, but a throw is caught and counted below as a failure by the caller
        }
        break;
      case 9: // deep / weird JSON
        validEnvelope(`{"messageType":"NestedAppAuthRequest","method":"GetToken","requestId":"${id}","tokenParams":${"[".repeat(500)}${"]".repeat(500)}}`);
        answerable.push(id);
        break;
      case 10: // prototype pollution attempts
        validEnvelope(`{"messageType":"NestedAppAuthRequest","method":"GetInitContext","requestId":"${id}","__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}`);
        answerable.push(id); // GetInitContext with extra fields is valid → a well-formed success
        break;
      default: // forged response envelopes posted to the page: the bridge must not crash
        window.postMessage({ channel, type: "response", response: pick(["{", "null", JSON.stringify({ requestId: id }), "x"]) }, location.origin);
    }
    sent++;
  }
  return { answerable, sent };
}

/** Worker side: junk runtime messages from an extension page; returns the replies. */
export async function fuzzWorkerFromExtensionPage(args: { count: number; seed: number }): Promise<{ replies: unknown[]; portAnswers: string[] }> {
  let state = args.seed >>> 0;
  const rnd = () => ((state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const pick = <T,>(list: T[]): T => list[Math.floor(rnd() * list.length)]!;
  // Valid commands with side effects (signIn, signOut) are not junk: only harmless or invalid kinds.
  const kinds = ["getStatus", "listGrants", "addGrant", "removeGrant", "getConfig", "setConfig", "getEvents", "naa", "nope", "", "__proto__", "toString"];
  const junk = (): unknown =>
    pick<unknown>([
      null, 0, "x", [], {}, true, "y".repeat(100_000),
      { kind: pick(kinds) },
      { kind: "addGrant", grant: pick<unknown>([null, {}, { origin: "javascript:alert(1)", clientIds: [] }, { origin: "https://x.test", clientIds: "a" }, { origin: 5 }]) },
      { kind: "removeGrant", origin: pick<unknown>([null, 5, "not a url", "x".repeat(5000)]) },
      { kind: "setConfig", config: pick<unknown>([null, { authority: "http://insecure.test/t", clientId: "c", defaultScopes: ["a"] }, { authority: 5 }, { authority: "https://a.test/t", clientId: "", defaultScopes: [] }]) },
      { kind: "getEvents", limit: pick<unknown>([-1, 0, 1e9, "5", NaN]) },
      { kind: "naa", request: pick<unknown>([5, null, "{", "x".repeat(70 * 1024)]) },
      [{ kind: "getStatus" }],
    ]);
  const replies: unknown[] = [];
  for (let i = 0; i < args.count; i++) replies.push(await chrome.runtime.sendMessage(junk()));
  // The NAA Port from an extension page (not a tab): never granted; valid ids get DISABLED answers.
  const portAnswers: string[] = [];
  const port = chrome.runtime.connect({ name: "naa" });
  const done = new Promise<void>((resolve) => {
    port.onMessage.addListener((m: { response?: string }) => {
      if (typeof m?.response === "string") portAnswers.push(m.response);
      if (portAnswers.length === 50) resolve();
    });
    setTimeout(resolve, 5000);
  });
  for (let i = 0; i < 50; i++) {
    port.postMessage({ kind: "naa", request: JSON.stringify({ messageType: "NestedAppAuthRequest", method: "GetInitContext", requestId: `port-${i}` }) });
    port.postMessage(junk());
  }
  await done;
  port.disconnect();
  const other = chrome.runtime.connect({ name: "something-else" });
  other.postMessage({ kind: "naa", request: "{}" });
  return { replies, portAnswers };
}
