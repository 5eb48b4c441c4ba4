import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TestEmulator } from "./control-client.js";
import { EXTENSION_REDIRECT_URI, FIREFOX_REDIRECT_URI } from "../../../shared/config/extension-ids.js";
import { authorizeUrl, createPkce, redirectParams, signIn, startForTest } from "./test-helpers.js";

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startForTest();
});
afterAll(() => emu.close());
beforeEach(() => emu.control.reset());

const get = (url: string, cookie?: string) => fetch(url, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });

describe("authorize endpoint", () => {
  it("shows a login page with the contract's form fields and login_hint pre-filled", async () => {
    const res = await get(authorizeUrl(emu, { code_challenge: createPkce().challenge, login_hint: "alex@contoso.test" }));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('name="username"');
    expect(html).toContain('name="password"');
    expect(html).toContain('type="submit"');
    expect(html).toContain('value="alex@contoso.test"');
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    // The request log says whom the window was for (and that it was interactive: no prompt).
    const [logged] = await emu.control.requests({ endpoint: "authorize" });
    expect(logged).toMatchObject({ method: "GET", loginHint: "alex@contoso.test" });
    expect(logged?.prompt).toBeUndefined();
  });

  it("rejects a wrong password on the login page", async () => {
    await expect(signIn(emu, { password: "nope" })).rejects.toThrow(/sign-in failed with 200/);
  });

  it("redirects with code, state, client_info in the query by default (Entra, response_type=code) and in the fragment on request", async () => {
    const signedIn = await signIn(emu);
    expect(signedIn.params.get("state")).toBe("state-123");
    expect(signedIn.params.get("client_info")).toBeTruthy();
    expect(signedIn.cookie).toMatch(/^emu_session_\d+=/);
    const byDefault = await get(authorizeUrl(emu, { code_challenge: createPkce().challenge }), signedIn.cookie);
    const queryLocation = new URL(byDefault.headers.get("location")!);
    expect(queryLocation.hash).toBe("");
    expect(queryLocation.searchParams.get("code")).toBeTruthy();
    const asked = await get(authorizeUrl(emu, { code_challenge: createPkce().challenge, response_mode: "fragment" }), signedIn.cookie);
    const fragmentLocation = new URL(asked.headers.get("location")!);
    expect(fragmentLocation.search).toBe("");
    expect(new URLSearchParams(fragmentLocation.hash.slice(1)).get("code")).toBeTruthy();
  });

  it("prompt=none: login_required without a session, a code with one", async () => {
    const challenge = createPkce().challenge;
    const none = await get(authorizeUrl(emu, { code_challenge: challenge, prompt: "none" }));
    expect(none.status).toBe(302);
    const params = redirectParams(none.headers.get("location"));
    expect(params.get("error")).toBe("login_required");
    expect(params.get("error_description")).toMatch(/^AADSTS50058:/);
    expect(params.get("state")).toBe("state-123");
    const { cookie } = await signIn(emu);
    const silent = await get(authorizeUrl(emu, { code_challenge: challenge, prompt: "none" }), cookie);
    expect(redirectParams(silent.headers.get("location")).get("code")).toBeTruthy();
    const otherUser = await get(authorizeUrl(emu, { code_challenge: challenge, prompt: "none", login_hint: "alex@contoso.test" }), cookie);
    expect(redirectParams(otherUser.headers.get("location")).get("error")).toBe("interaction_required");
    const forced = await get(authorizeUrl(emu, { code_challenge: challenge, prompt: "login" }), cookie);
    expect(forced.status).toBe(200);
    // prompt=select_account with a session: Entra's account picker, here the sign-in form (no code).
    const picker = await get(authorizeUrl(emu, { code_challenge: challenge, prompt: "select_account" }), cookie);
    expect(picker.status).toBe(200);
    expect(await picker.text()).toContain('name="username"');
  });

  it("accepts loopback redirect URIs on any port and the extension's URI on each engine; rejects others without redirecting", async () => {
    const challenge = createPkce().challenge;
    for (const uri of ["http://localhost:51234/callback", "http://127.0.0.1:8080/", EXTENSION_REDIRECT_URI, FIREFOX_REDIRECT_URI]) {
      const res = await get(authorizeUrl(emu, { code_challenge: challenge, redirect_uri: uri, prompt: "none" }));
      expect(res.status, uri).toBe(302);
      expect(res.headers.get("location")!.startsWith(uri)).toBe(true);
    }
    for (const uri of ["https://evil.example/", "https://hocjdcgpkppfggihhckgjaaacbohlcng.chromiumapp.org/other", "https://0000000000000000000000000000000000000000.extensions.allizom.org/", "http://localhost.evil.example/"]) {
      const res = await get(authorizeUrl(emu, { code_challenge: challenge, redirect_uri: uri }));
      expect(res.status, uri).toBe(400);
      expect(res.headers.get("location")).toBeNull();
      expect(await res.text()).toContain("AADSTS50011");
    }
    const unknownClient = await get(authorizeUrl(emu, { code_challenge: challenge, client_id: "11111111-1111-1111-1111-111111111111" }));
    expect(unknownClient.status).toBe(400);
    expect(await unknownClient.text()).toContain("AADSTS700016");
  });

  it("requires PKCE S256 and valid scopes, reporting errors to the redirect URI", async () => {
    const missing = redirectParams((await get(authorizeUrl(emu))).headers.get("location"));
    expect(missing.get("error")).toBe("invalid_request");
    const plain = redirectParams((await get(authorizeUrl(emu, { code_challenge: createPkce().challenge, code_challenge_method: "plain" }))).headers.get("location"));
    expect(plain.get("error")).toBe("invalid_request");
    const scope = redirectParams((await get(authorizeUrl(emu, { code_challenge: createPkce().challenge, scope: "Files.ReadWrite.All" }))).headers.get("location"));
    expect(scope.get("error")).toBe("invalid_scope");
    const two = redirectParams((await get(authorizeUrl(emu, { code_challenge: createPkce().challenge, scope: "User.Read api://demo/Data.Read" }))).headers.get("location"));
    expect(two.get("error_description")).toMatch(/^AADSTS28000:/);
  });

  it("logout ends the session and returns to the post-logout redirect URI", async () => {
    const { cookie } = await signIn(emu);
    const res = await get(`${emu.authority}/oauth2/v2.0/logout?post_logout_redirect_uri=${encodeURIComponent("http://localhost:3000/bye")}&state=s1`, cookie);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("http://localhost:3000/bye?state=s1");
    expect(res.headers.get("set-cookie")).toContain("Max-Age=0");
    const after = await get(authorizeUrl(emu, { code_challenge: createPkce().challenge, prompt: "none" }), cookie);
    expect(redirectParams(after.headers.get("location")).get("error")).toBe("login_required");
    const evil = await get(`${emu.authority}/oauth2/v2.0/logout?post_logout_redirect_uri=${encodeURIComponent("https://evil.example/")}`);
    expect(evil.status).toBe(200);
  });

  it("ends sessions through the control API", async () => {
    const { cookie } = await signIn(emu);
    await emu.control.expire("sessions");
    const after = await get(authorizeUrl(emu, { code_challenge: createPkce().challenge, prompt: "none" }), cookie);
    expect(redirectParams(after.headers.get("location")).get("error")).toBe("login_required");
  });
});
