import { describe, expect, it } from "vitest";
import { AuthShellError } from "../../shared/errors.js";
import { checkClientId, contentScriptMatches, grantForSender, isOwnExtensionPage, matchPatternFor, normaliseOrigin, scopesOutsideGrant, type Grant } from "./grant-rules.js";

const ID = "hocjdcgpkppfggihhckgjaaacbohlcng";
const grant: Grant = { origin: "http://localhost:5173", clientIds: ["client-a"], scopes: ["User.Read"], addedAt: 0 };
const topFrame = { id: ID, origin: "http://localhost:5173", url: "http://localhost:5173/app", frameId: 0, tab: { id: 7 } };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof AuthShellError ? error.code : "not-an-auth-error";
  }
}

describe("grant rules", () => {
  it("normalises origins and refuses non-web schemes", () => {
    expect(normaliseOrigin(" HTTPS://App.Contoso.com/path?q ")).toBe("https://app.contoso.com");
    expect(normaliseOrigin("http://localhost:5173/")).toBe("http://localhost:5173");
    expect(codeOf(() => normaliseOrigin("chrome-extension://abc/"))).toBe("invalid_request");
    expect(codeOf(() => normaliseOrigin("not a url"))).toBe("invalid_request");
    expect(matchPatternFor("http://localhost:5173", "chromium")).toBe("http://localhost:5173/*");
  });

  it("registers content scripts per origin on Chromium and per host on Firefox, whose patterns cannot carry a port", () => {
    const origins = ["http://localhost:5173", "http://localhost:3000", "https://app.contoso.com"];
    expect(contentScriptMatches(origins, "chromium")).toEqual(["http://localhost:3000/*", "http://localhost:5173/*", "https://app.contoso.com/*"]);
    // Two ports of one host are one Firefox pattern; the relay tells the ports apart (bridge-handshake.ts).
    expect(contentScriptMatches(origins, "firefox")).toEqual(["http://localhost/*", "https://app.contoso.com/*"]);
    expect(matchPatternFor("https://app.contoso.com:8443", "firefox")).toBe("https://app.contoso.com/*");
  });

  it("grants the top frame of a granted origin", () => {
    expect(grantForSender(topFrame, [grant], ID)).toBe(grant);
  });

  it("refuses a cross-origin iframe inside a granted page, but not a granted frame", () => {
    const iframe = { ...topFrame, origin: "http://127.0.0.1:5173", url: "http://127.0.0.1:5173/x", frameId: 3 };
    expect(codeOf(() => grantForSender(iframe, [grant], ID))).toBe("not_granted");
    const grantedFrame = { ...topFrame, frameId: 3 };
    expect(grantForSender(grantedFrame, [grant], ID)).toBe(grant);
  });

  it("refuses foreign extensions, non-tab senders, opaque and mismatched origins", () => {
    expect(codeOf(() => grantForSender({ ...topFrame, id: "other" }, [grant], ID))).toBe("not_granted");
    expect(codeOf(() => grantForSender({ ...topFrame, tab: undefined }, [grant], ID))).toBe("not_granted");
    expect(codeOf(() => grantForSender({ ...topFrame, origin: "null" }, [grant], ID))).toBe("not_granted");
    expect(codeOf(() => grantForSender({ ...topFrame, url: "http://evil.test/" }, [grant], ID))).toBe("not_granted");
    expect(codeOf(() => grantForSender(topFrame, [], ID))).toBe("not_granted");
  });

  it("caps client IDs and scopes, always allowing the OIDC reserved scopes", () => {
    const defaults = ["Files.Read"];
    expect(codeOf(() => checkClientId(grant, "client-a"))).toBeUndefined();
    expect(scopesOutsideGrant(grant, ["user.read", "openid", "offline_access"], defaults)).toEqual([]);
    expect(codeOf(() => checkClientId(grant, "client-b"))).toBe("client_not_allowed");
    // The refusal names the client ID and what to change, not "allow the site" (it is allowed).
    expect(() => checkClientId(grant, "client-b")).toThrow(/not for the client ID client-b: add client-b to the site's client IDs/);
    expect(scopesOutsideGrant(grant, ["User.Read", "Mail.Send", "Files.Read"], defaults)).toEqual(["Mail.Send", "Files.Read"]);
    expect(scopesOutsideGrant({ ...grant, scopes: ["*"] }, ["Mail.Send"], defaults)).toEqual([]);
    const noScopes: Grant = { origin: grant.origin, clientIds: ["client-a"], addedAt: 0 };
    expect(scopesOutsideGrant(noScopes, ["Files.Read"], defaults)).toEqual([]);
    expect(scopesOutsideGrant(noScopes, ["User.Read"], defaults)).toEqual(["User.Read"]);
  });

  it("treats only this extension's own pages as UI senders, never a content script on a web page", () => {
    const BASE = `chrome-extension://${ID}/`;
    const popup = { id: ID, origin: `chrome-extension://${ID}`, url: `chrome-extension://${ID}/popup.html` };
    expect(isOwnExtensionPage(popup, ID, BASE)).toBe(true);
    expect(isOwnExtensionPage({ ...popup, origin: undefined }, ID, BASE)).toBe(true);
    // A content script: the extension's id, but the page's URL and origin (even with a path that
    // looks like the extension's).
    expect(isOwnExtensionPage(topFrame, ID, BASE)).toBe(false);
    expect(isOwnExtensionPage({ ...topFrame, url: `http://localhost:5173/chrome-extension://${ID}/` }, ID, BASE)).toBe(false);
    expect(isOwnExtensionPage({ ...popup, origin: "http://localhost:5173" }, ID, BASE)).toBe(false);
    expect(isOwnExtensionPage({ ...popup, url: `chrome-extension://${ID}evil/popup.html` }, ID, BASE)).toBe(false);
    expect(isOwnExtensionPage({ ...popup, id: "other" }, ID, BASE)).toBe(false);
    expect(isOwnExtensionPage({ ...popup, url: undefined }, ID, BASE)).toBe(false);
    expect(isOwnExtensionPage(popup, "", BASE)).toBe(false);
    // The base URL comes from runtime.getURL(""): another scheme's pages, or a web base, do not pass.
    expect(isOwnExtensionPage(popup, ID, `extension://${ID}/`)).toBe(false);
    expect(isOwnExtensionPage({ ...topFrame, url: "https://localhost:5173/x" }, ID, "https://localhost:5173/")).toBe(false);
  });

  it("recognises Firefox's own pages by runtime.getURL(\"\"), whose host is a per-profile UUID and not the add-on ID", () => {
    const GECKO = "resilient-token-broker@example.org";
    const BASE = "moz-extension://0b7f3c1e-9d2a-4f6b-8e5c-7a1d2b3c4e5f/";
    const options = { id: GECKO, origin: "moz-extension://0b7f3c1e-9d2a-4f6b-8e5c-7a1d2b3c4e5f", url: `${BASE}options.html` };
    expect(isOwnExtensionPage(options, GECKO, BASE)).toBe(true);
    // Another profile's (or another add-on's) UUID is not ours, even with our add-on ID.
    expect(isOwnExtensionPage({ ...options, url: "moz-extension://11111111-2222-3333-4444-555555555555/options.html" }, GECKO, BASE)).toBe(false);
    expect(isOwnExtensionPage({ ...options, origin: "moz-extension://11111111-2222-3333-4444-555555555555" }, GECKO, BASE)).toBe(false);
    expect(isOwnExtensionPage({ ...options, origin: "http://localhost:3000", url: "http://localhost:3000/" }, GECKO, BASE)).toBe(false);
  });
});
