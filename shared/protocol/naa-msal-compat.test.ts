/**
 * Pins the NAA codec against the installed @azure/msal-browser (R12): msal's own BridgeProxy talks
 * to a bridge backed by parseNaaRequest / buildNaaSuccess / buildNaaError, and msal's own
 * NestedAppAuthAdapter turns the answers into AuthenticationResults and AuthErrors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeIdToken } from "../chain/broker-harness.test-support.js";
import { AuthShellError } from "../errors.js";
import { buildInitContext, buildNaaError, buildNaaSuccess, parseNaaRequest } from "./naa-codec.js";
import { decodeWait } from "./naa-wait.js";
import { NaaStatus } from "./naa-wire.js";

const MSAL = "../../node_modules/@azure/msal-browser/dist";

interface MsalProxy {
  getTokenSilent(request: Record<string, unknown>): Promise<{ token: Record<string, unknown>; account: Record<string, unknown> }>;
  getTokenInteractive(request: Record<string, unknown>): Promise<unknown>;
  getAccountContext(): unknown;
  sdkName: string;
}
type Listener = (response: string | { data: string }) => void;

let listener: Listener | undefined;
let answer: (request: string) => string;
const seen: string[] = [];
const savedWindow = (globalThis as { window?: unknown }).window;

let BridgeProxy: { create(): Promise<MsalProxy> };
let Adapter: new (clientId: string, caps: string[], crypto: unknown, logger: unknown) => {
  toNaaTokenRequest(request: Record<string, unknown>): Record<string, unknown>;
  fromNaaTokenResponse(request: Record<string, unknown>, response: unknown, reqTimestamp: number): Record<string, unknown>;
  fromBridgeError(error: unknown): Error & { errorCode: string };
};
let Logger: new (options: object) => unknown;
let InteractionRequiredAuthError: new (...args: never[]) => Error;
let BridgeStatusCode: Record<string, string>;

beforeAll(async () => {
  (globalThis as { window?: unknown }).window = {
    console,
    crypto: globalThis.crypto,
    nestedAppAuthBridge: {
      addEventListener: (_: string, cb: Listener) => (listener = cb),
      removeEventListener: () => undefined,
      postMessage: (message: string) => {
        seen.push(message);
        const reply = answer(message);
        queueMicrotask(() => listener?.(reply));
      },
    },
  };
  const load = (path: string) => import(/* @vite-ignore */ `${MSAL}/${path}`);
  BridgeProxy = (await load("naa/BridgeProxy.mjs")).BridgeProxy;
  Adapter = (await load("naa/mapping/NestedAppAuthAdapter.mjs")).NestedAppAuthAdapter;
  BridgeStatusCode = (await load("naa/BridgeStatusCode.mjs")).BridgeStatusCode;
  const common = await import("@azure/msal-browser");
  Logger = common.Logger as never;
  InteractionRequiredAuthError = common.InteractionRequiredAuthError as never;
});

afterAll(() => {
  (globalThis as { window?: unknown }).window = savedWindow;
});

const idToken = makeIdToken({ aud: "client-1", tid: "tid-1", oid: "oid-1", preferred_username: "adele@contoso.test", name: "Adele" });
const account = {
  homeAccountId: "oid-1.tid-1",
  localAccountId: "oid-1",
  tenantId: "tid-1",
  username: "adele@contoso.test",
  name: "Adele",
  environment: "login.microsoftonline.com",
};

function bridgeAnswer(request: string): string {
  const parsed = parseNaaRequest(request);
  if (parsed instanceof AuthShellError) throw parsed;
  if (parsed.method === "GetInitContext") {
    return buildInitContext(parsed.requestId, { sdkName: "resilient-token-broker", sdkVersion: "0.1.0", account });
  }
  if (parsed.method === "GetTokenPopup") {
    return buildNaaError(parsed.requestId, new AuthShellError("user_cancelled", "The user closed the window"));
  }
  if (parsed.tokenParams?.claims?.includes('"nbf"')) {
    return buildNaaError(
      parsed.requestId,
      new AuthShellError("interaction_required", "Interaction required", { idpError: "interaction_required" }),
    );
  }
  const now = Date.now();
  return buildNaaSuccess(parsed.requestId, { accessToken: "AT-1", idToken, scopes: ["User.Read"], expiresOn: now + 3_600_000, account }, now);
}

describe("NAA wire format against @azure/msal-browser's own BridgeProxy and adapter", () => {
  it("has the same status codes", () => {
    expect(Object.values(NaaStatus).sort()).toEqual(Object.values(BridgeStatusCode).sort());
  });

  it("GetInitContext → msal gets sdk name and account context", async () => {
    answer = bridgeAnswer;
    const proxy = await BridgeProxy.create();
    expect(proxy.sdkName).toBe("resilient-token-broker");
    expect(proxy.getAccountContext()).toEqual({ homeAccountId: "oid-1.tid-1", environment: "login.microsoftonline.com", tenantId: "tid-1" });
  });

  it("GetToken round trip: msal's request parses, our response becomes an AuthenticationResult", async () => {
    answer = bridgeAnswer;
    const proxy = await BridgeProxy.create();
    const adapter = new Adapter("client-1", ["cp1"], { createNewGuid: () => "g-1", base64Decode: (s: string) => atob(s.replace(/-/g, "+").replace(/_/g, "/")) }, new Logger({}));
    const naaRequest = adapter.toNaaTokenRequest({ scopes: ["User.Read"], correlationId: "corr-1" });
    const reqTimestamp = Math.floor(Date.now() / 1000);
    const response = await proxy.getTokenSilent(naaRequest);
    const sent = parseNaaRequest(seen.at(-1)!);
    expect(sent).not.toBeInstanceOf(AuthShellError);
    const result = adapter.fromNaaTokenResponse(naaRequest, response, reqTimestamp);
    expect(result.accessToken).toBe("AT-1");
    expect(result.scopes).toEqual(["User.Read"]);
    expect((result.account as { homeAccountId: string }).homeAccountId).toBe("oid-1.tid-1");
    expect((result.account as { username: string }).username).toBe("adele@contoso.test");
    const expiresOn = (result.expiresOn as Date).getTime();
    expect(expiresOn).toBeGreaterThan(Date.now() + 3_500_000);
    expect(expiresOn).toBeLessThanOrEqual(Date.now() + 3_600_000);
  });

  it("errors become msal's InteractionRequiredAuthError / user_cancelled / ServerError", async () => {
    answer = bridgeAnswer;
    const proxy = await BridgeProxy.create();
    const adapter = new Adapter("client-1", [], { createNewGuid: () => "g-2" }, new Logger({}));
    const claims = '{"access_token":{"nbf":{"essential":true,"value":"1"}}}';
    const interaction = await proxy.getTokenSilent(adapter.toNaaTokenRequest({ scopes: ["User.Read"], claims })).catch((e: unknown) => e);
    const mapped = adapter.fromBridgeError(interaction);
    expect(mapped).toBeInstanceOf(InteractionRequiredAuthError);
    expect(mapped.errorCode).toBe("interaction_required");

    const cancelled = await proxy.getTokenInteractive(adapter.toNaaTokenRequest({ scopes: ["User.Read"] })).catch((e: unknown) => e);
    expect(adapter.fromBridgeError(cancelled).errorCode).toBe("user_canceled");

    answer = (request) =>
      buildNaaError(JSON.parse(request).requestId, new AuthShellError("throttled", "Throttled", { retryAfterMs: 30_000 }));
    const throttled = await proxy.getTokenSilent(adapter.toNaaTokenRequest({ scopes: ["User.Read"] })).catch((e: unknown) => e);
    const server = adapter.fromBridgeError(throttled);
    expect(server.name).toBe("ServerError");
    expect(server.message).toContain("retry after 30 s"); // The sentence for people.
  });

  it("the retry wait survives msal's own error mapping as data (naa-wait.ts), though msal drops `properties`", async () => {
    answer = bridgeAnswer;
    const proxy = await BridgeProxy.create();
    const adapter = new Adapter("client-1", [], { createNewGuid: () => "g-3" }, new Logger({}));
    for (const [code, retryAfterMs] of [["throttled", 29_500], ["idp_unavailable", 5_000], ["interaction_cooldown", 0]] as const) {
      answer = (request) => buildNaaError(JSON.parse(request).requestId, new AuthShellError(code, "Not now.", { retryAfterMs }));
      const bridgeError = await proxy.getTokenSilent(adapter.toNaaTokenRequest({ scopes: ["User.Read"] })).catch((e: unknown) => e);
      const mapped = adapter.fromBridgeError(bridgeError) as Error & { errorCode: string; errorMessage: string };
      if (code === "interaction_cooldown") {
        expect(mapped.errorCode).toBe("user_canceled"); // USER_CANCEL: msal keeps neither description nor wait.
        continue;
      }
      expect(mapped).not.toHaveProperty("properties");
      expect(mapped.errorCode).toBe(code);
      expect(decodeWait(mapped.errorMessage)).toEqual({ sentence: "Not now.", retryAfterMs });
    }
  });
});
