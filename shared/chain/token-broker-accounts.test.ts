import { describe, expect, it } from "vitest";
import { CLIENT_ID, HOME_ACCOUNT_ID, HOUR, TENANT, rejection, signedIn } from "./broker-harness.test-support.js";

describe("token broker: accounts, sign-out, status", () => {
  it("signOut clears the account's tokens and returns the IdP logout URL", async () => {
    const h = await signedIn();
    expect((await h.broker.getAccounts()).map((a) => a.username)).toEqual(["adele@contoso.test"]);
    const { logoutUrl } = await h.broker.signOut(HOME_ACCOUNT_ID);
    const url = new URL(logoutUrl);
    expect(url.pathname).toBe(`/${TENANT}/oauth2/v2.0/logout`);
    expect(url.searchParams.get("post_logout_redirect_uri")).toBe(h.config.redirectUri);
    expect(url.searchParams.get("logout_hint")).toBe("O.hint");
    expect(await h.broker.getAccounts()).toEqual([]);
    expect(await h.store.entries("rt:")).toEqual([]);
    expect(await h.store.entries("at:")).toEqual([]);
    h.idp.hasSession = false;
    const e = await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false }));
    expect(e.code).toBe("interaction_required");
  });

  it("status and events never contain token values", async () => {
    const h = await signedIn();
    await h.clock.advance(HOUR);
    h.idp.faults.push({ status: 429, headers: { "retry-after": "30" } });
    await rejection(h.broker.acquireToken({ scopes: ["User.Read"], allowInteraction: false }));
    const status = await h.broker.status();
    expect(status.cache).toHaveLength(1);
    expect(status.cache[0]).toMatchObject({ clientId: CLIENT_ID, scopes: ["user.read"], hasRefreshToken: true });
    expect(status.gates).toHaveLength(1);
    const text = JSON.stringify(status) + JSON.stringify(h.events);
    expect(text).not.toMatch(/\b(at|rt)-\d+\b/);
    expect(text).not.toMatch(/eyJ/);
  });
});
