import { describe, expect, it } from "vitest";
import { AuthShellError } from "../../shared/errors.js";
import { checkTokenRequest, grantForSender, isOwnExtensionPage, matchPatternFor, normaliseOrigin, type Grant } from "./grant-rules.js";

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
    expect(matchPatternFor("http://localhost:5173")).toBe("http://localhost:5173/*");
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
    expect(codeOf(() => checkTokenRequest(grant, "client-a", ["user.read", "openid", "offline_access"], defaults))).toBeUndefined();
    expect(codeOf(() => checkTokenRequest(grant, "client-b", ["User.Read"], defaults))).toBe("client_not_allowed");
    // The refusal names the client ID and what to change, not "allow the site" (it is allowed).
    expect(() => checkTokenRequest(grant, "client-b", ["User.Read"], defaults)).toThrow(/not for the client ID client-b: add client-b to the site's client IDs/);
    expect(codeOf(() => checkTokenRequest(grant, "client-a", ["Mail.Send"], defaults))).toBe("scope_not_allowed");
    expect(codeOf(() => checkTokenRequest(grant, "client-a", ["Files.Read"], defaults))).toBe("scope_not_allowed");
    expect(codeOf(() => checkTokenRequest({ ...grant, scopes: ["*"] }, "client-a", ["Mail.Send"], defaults))).toBeUndefined();
    const noScopes: Grant = { origin: grant.origin, clientIds: ["client-a"], addedAt: 0 };
    expect(codeOf(() => checkTokenRequest(noScopes, "client-a", ["Files.Read"], defaults))).toBeUndefined();
    expect(codeOf(() => checkTokenRequest(noScopes, "client-a", ["User.Read"], defaults))).toBe("scope_not_allowed");
  });

  it("treats only this extension's own pages as UI senders, never a content script on a web page", () => {
    const popup = { id: ID, origin: `chrome-extension://${ID}`, url: `chrome-extension://${ID}/popup.html` };
    expect(isOwnExtensionPage(popup, ID)).toBe(true);
    expect(isOwnExtensionPage({ ...popup, origin: undefined }, ID)).toBe(true);
    // A content script: the extension's id, but the page's URL and origin (even with a path that
    // looks like the extension's).
    expect(isOwnExtensionPage(topFrame, ID)).toBe(false);
    expect(isOwnExtensionPage({ ...topFrame, url: `http://localhost:5173/chrome-extension://${ID}/` }, ID)).toBe(false);
    expect(isOwnExtensionPage({ ...popup, origin: "http://localhost:5173" }, ID)).toBe(false);
    expect(isOwnExtensionPage({ ...popup, url: `chrome-extension://${ID}evil/popup.html` }, ID)).toBe(false);
    expect(isOwnExtensionPage({ ...popup, id: "other" }, ID)).toBe(false);
    expect(isOwnExtensionPage({ ...popup, url: undefined }, ID)).toBe(false);
    expect(isOwnExtensionPage(popup, "")).toBe(false);
    // The base URL comes from chrome.runtime.getURL(""): another scheme's pages do not pass.
    expect(isOwnExtensionPage(popup, ID, `chrome-extension://${ID}/`)).toBe(true);
    expect(isOwnExtensionPage(popup, ID, `extension://${ID}/`)).toBe(false);
  });
});
