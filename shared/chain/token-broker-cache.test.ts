import { describe, expect, it } from "vitest";
import { base64UrlEncode } from "../oidc/base64url.js";
import { HOME_ACCOUNT_ID, createHarness, nodeCrypto, signedIn } from "./broker-harness.test-support.js";

describe("token broker: sign-in and cache", () => {
  it("signs in interactively after prompt=none fails, with PKCE S256, state, nonce and cp1 claims", async () => {
    const h = createHarness();
    h.idp.hasSession = false;
    const result = await h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: true });
    expect(result.source).toBe("interactive");
    expect(result.accessToken).toBe("at-2");
    expect(result.account.homeAccountId).toBe(HOME_ACCOUNT_ID);
    expect(result.account.username).toBe("adele@contoso.test");
    expect(result.account.idTokenClaims?.name).toBe("Adele Vance");
    const [silent, interactive] = h.idp.authorizeCalls;
    expect(silent?.interactive).toBe(false);
    expect(silent?.url.searchParams.get("prompt")).toBe("none");
    expect(interactive?.interactive).toBe(true);
    expect(interactive?.url.searchParams.has("prompt")).toBe(false);
    const p = interactive!.url.searchParams;
    expect(p.get("code_challenge_method")).toBe("S256");
    expect(p.get("response_mode")).toBe("fragment");
    expect(p.get("scope")).toBe("User.Read openid profile offline_access");
    expect(JSON.parse(p.get("claims") ?? "{}")).toEqual({ access_token: { xms_cc: { values: ["cp1"] } } });
    const redeem = h.idp.tokenRequests("authorization_code")[0]!;
    expect(redeem.form.get("code_verifier")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(redeem.headers?.["client-request-id"]).toBe(result.correlationId);
    const [pair] = h.idp.pkcePairs;
    const digest = await nodeCrypto.sha256(new TextEncoder().encode(pair!.verifier));
    expect(base64UrlEncode(digest)).toBe(pair!.challenge);
  });

  it("serves the second call from the cache without any request", async () => {
    const h = await signedIn();
    const before = h.http.requests.length;
    const again = await h.broker.acquireToken({ scopes: ["user.read"], allowInteraction: false });
    expect(again.source).toBe("cache");
    expect(again.accessToken).toBe("at-2");
    expect(h.http.requests.length).toBe(before);
  });

  it("ignores the reserved scopes openid/profile/offline_access when matching, case-insensitively", async () => {
    const h = await signedIn();
    const r = await h.broker.acquireToken({ scopes: ["OPENID", "User.READ", "offline_access", "Profile"], allowInteraction: false });
    expect(r.source).toBe("cache");
    const other = await h.broker.acquireToken({ scopes: ["Mail.Read"], allowInteraction: false });
    expect(other.source).toBe("refresh_token");
  });

  it("a restarted broker over the same store serves the cached token with zero requests (R3)", async () => {
    const h = await signedIn();
    const before = h.http.requests.length;
    const calls = h.idp.authorizeCalls.length;
    const r = await h.restart().acquireToken({ scopes: ["User.Read"], allowInteraction: false });
    expect(r.source).toBe("cache");
    expect(h.http.requests.length).toBe(before);
    expect(h.idp.authorizeCalls.length).toBe(calls);
  });
});
