import { describe, expect, it } from "vitest";
import type { ConfigView } from "../protocol/views.js";
import { checkRegistration, type RegistrationPorts } from "./registration-check.js";

const CONFIG: ConfigView = {
  authority: "https://login.microsoftonline.com/contoso.onmicrosoft.com",
  clientId: "2ffc5f25-9392-442a-93ff-be195186c310",
  defaultScopes: ["User.Read"],
  redirectUri: "https://ext.chromiumapp.org/",
  managed: [],
};
const say = (key: string, ...subs: string[]) => [key, ...subs].join("|");

function ports(launch: RegistrationPorts["launch"], pages: Record<string, string> = {}, engine: RegistrationPorts["engine"] = "chromium") {
  const fetched: Array<{ url: string; init: RequestInit }> = [];
  const p: RegistrationPorts = {
    launch,
    engine,
    fetch: async (url, init) => {
      fetched.push({ url, init });
      const key = Object.keys(pages).find((k) => url.includes(k));
      if (key === undefined) throw new TypeError("Failed to fetch");
      return { text: async () => pages[key]! };
    },
    say,
  };
  return { p, fetched };
}
const pageShown = async () => Promise.reject(new Error("User interaction required."));
const redirect = (fragment: string) => async () => `${CONFIG.redirectUri}#${fragment}`;

describe("checkRegistration turns Entra's answer into the change to make", () => {
  it.each([
    ["700016", "<p>AADSTS700016: Application with identifier 'x' was not found in the directory. Trace ID: 1</p>", "options_check_700016|2ffc5f25-9392-442a-93ff-be195186c310|contoso.onmicrosoft.com"],
    ["50011", "<p>AADSTS50011: The redirect URI 'https://ext.chromiumapp.org/' does not match.</p>", "options_check_50011|https://ext.chromiumapp.org/"],
  ])("an error page with AADSTS%s (read after the silent flow stopped on it)", async (code, page, sentence) => {
    const { p, fetched } = ports(pageShown, { "/oauth2/v2.0/authorize": page });
    expect(await checkRegistration(CONFIG, p)).toEqual({ outcome: "problem", aadsts: Number(code), sentence });
    expect(fetched[0]!.init).toMatchObject({ credentials: "omit" });
    expect(new URL(fetched[0]!.url).searchParams.get("prompt")).toBe("none");
  });

  it("Chrome reports Entra's 400 error page as 'could not be loaded': the page is still read", async () => {
    const { p } = ports(async () => Promise.reject(new Error("Authorization page could not be loaded.")), { "/oauth2/v2.0/authorize": "<p>AADSTS700016: Application not found.</p>" });
    expect(await checkRegistration(CONFIG, p)).toMatchObject({ outcome: "problem", aadsts: 700016 });
  });

  it("an error page it may not read: says both candidates, outcome unknown", async () => {
    const { p } = ports(pageShown);
    expect(await checkRegistration(CONFIG, p)).toEqual({ outcome: "unknown", sentence: `options_check_page|${CONFIG.clientId}|${CONFIG.redirectUri}` });
  });

  it("consent_required (AADSTS65001) names the scopes", async () => {
    const { p } = ports(redirect("error=consent_required&error_description=AADSTS65001%3A+The+user+or+administrator+has+not+consented"));
    expect(await checkRegistration(CONFIG, p)).toEqual({ outcome: "problem", aadsts: 65001, sentence: "options_check_65001|User.Read" });
  });

  it("login_required: client ID and redirect URI were accepted", async () => {
    const { p } = ports(redirect("error=login_required&error_description=AADSTS50058%3A+no+session"));
    expect(await checkRegistration(CONFIG, p)).toMatchObject({ outcome: "ok", sentence: `options_check_ok_signed_out|${CONFIG.clientId}` });
  });

  it("a code whose redemption answers AADSTS9002326 (redirect URI registered as Web)", async () => {
    const { p, fetched } = ports(redirect("code=abc&state=s"), {
      "/oauth2/v2.0/token": JSON.stringify({ error: "invalid_request", error_description: "AADSTS9002326: Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type.", error_codes: [9002326] }),
    });
    expect(await checkRegistration(CONFIG, p)).toEqual({ outcome: "problem", aadsts: 9002326, sentence: "options_check_9002326|https://ext.chromiumapp.org/" });
    const body = new URLSearchParams(String(fetched[0]!.init.body));
    expect(body.get("code")).toBe("abc");
    expect(body.get("code_verifier")).toMatch(/^[\w-]{43}$/);
  });

  it("a code redeemed: ok, and nothing of the token response is in the answer", async () => {
    const { p } = ports(redirect("code=abc"), { "/oauth2/v2.0/token": JSON.stringify({ access_token: "eyJsecret", token_type: "Bearer" }) });
    const report = await checkRegistration(CONFIG, p);
    expect(report).toEqual({ outcome: "ok", sentence: `options_check_ok|${CONFIG.clientId}` });
    expect(JSON.stringify(report)).not.toContain("eyJ");
  });

  it("another code is reported with its own first sentence", async () => {
    const { p } = ports(redirect("error=invalid_client&error_description=AADSTS7000218%3A+The+request+body+must+contain+client_assertion.+Trace+ID%3A+x"));
    expect(await checkRegistration(CONFIG, p)).toEqual({ outcome: "problem", aadsts: 7000218, sentence: "options_check_other|7000218|The request body must contain client_assertion." });
  });

  it("an unreachable authority says so", async () => {
    const { p } = ports(async () => Promise.reject(new Error("Authorization page could not be loaded.")));
    expect((await checkRegistration(CONFIG, p)).sentence).toMatch(/^options_check_unreachable\|login\.microsoftonline\.com\|/);
  });

  it("on Firefox passes none of Chromium's silent-flow options (it refuses them) and still reads the error page", async () => {
    const launched: chrome.identity.WebAuthFlowDetails[] = [];
    const firefoxPageShown = async (details: chrome.identity.WebAuthFlowDetails) => {
      launched.push(details);
      return Promise.reject(new Error("Requires user interaction"));
    };
    const { p } = ports(firefoxPageShown, { "/oauth2/v2.0/authorize": "<p>AADSTS50011: The redirect URI does not match.</p>" }, "firefox");
    expect(await checkRegistration(CONFIG, p)).toMatchObject({ outcome: "problem", aadsts: 50011 });
    expect(Object.keys(launched[0]!).sort()).toEqual(["interactive", "url"]);
  });
});
