import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  validateAuthority,
  validateClientIds,
  validateGrant,
  validateOrigin,
  validateScopes,
  validateSettings,
  type Say,
} from "./validate-settings.js";

const localeDir = resolve(import.meta.dirname, "../../extension/locales");
// The validator's sentences have their own locale file, which /extension-broker ships (decision 0006).
const english = JSON.parse(readFileSync(resolve(localeDir, "en/validation.json"), "utf8")) as Record<string, string>;
const german = JSON.parse(readFileSync(resolve(localeDir, "de/validation.json"), "utf8")) as Record<string, string>;
const used = new Set<string>();
/** The sentences the user reads (the extension's en texts); a key missing from the locale fails the test. */
const say: Say = (key, ...subs) => {
  used.add(key);
  const text = english[key];
  if (!text) throw new Error(`no English text for ${key}`);
  return text.replace(/\$([1-9])/g, (_, n: string) => subs[Number(n) - 1] ?? "");
};

const TENANT = "1ff2628e-5488-4af2-9d52-731bb01ad4b3";
const CLIENT = "2ffc5f25-9392-442a-93ff-be195186c310";

describe("validateAuthority", () => {
  it.each([
    [`https://login.microsoftonline.com/${TENANT}`, `https://login.microsoftonline.com/${TENANT}`],
    [`https://login.microsoftonline.com/${TENANT.toUpperCase()}/`, `https://login.microsoftonline.com/${TENANT}`],
    ["https://LOGIN.microsoftonline.com/contoso.onmicrosoft.com", "https://login.microsoftonline.com/contoso.onmicrosoft.com"],
    ["  https://login.microsoftonline.com/organizations ", "https://login.microsoftonline.com/organizations"],
    ["https://login.microsoftonline.com/common", "https://login.microsoftonline.com/common"],
    [`https://localhost:8443/${TENANT}`, `https://localhost:8443/${TENANT}`],
    [`http://localhost:9000/${TENANT}`, `http://localhost:9000/${TENANT}`],
    [`http://127.0.0.1:9000/${TENANT}`, `http://127.0.0.1:9000/${TENANT}`],
    [`http://[::1]:9000/${TENANT}`, `http://[::1]:9000/${TENANT}`],
  ])("accepts %s as %s", (input, value) => {
    expect(validateAuthority(input, say)).toEqual({ ok: true, value });
  });

  it.each([
    [`https://login.microsoftonline.com/${TENANT}/v2.0`, "/v2.0"],
    [`https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/authorize`, "/oauth2/v2.0/authorize"],
    [`https://login.microsoftonline.com/${TENANT}/v2.0/.well-known/openid-configuration`, "/v2.0/.well-known/openid-configuration"],
  ])("normalises %s away with a note", (input, dropped) => {
    expect(validateAuthority(input, say)).toEqual({
      ok: true,
      value: `https://login.microsoftonline.com/${TENANT}`,
      note: `Saved as https://login.microsoftonline.com/${TENANT}: the broker adds “${dropped}” itself.`,
    });
  });

  it.each([
    ["", "Enter the authority, for example https://login.microsoftonline.com/<your tenant ID>."],
    ["https://login.microsoftonline.com", "Add your tenant after the host: https://login.microsoftonline.com/<tenant ID, domain, organizations or common>."],
    ["https://example.com/whatever?x=1#frag", "Remove the part from “?” or “#” on: an authority is only https://<host>/<tenant>."],
    ["https://example.com/tenant?", "Remove the part from “?” or “#” on: an authority is only https://<host>/<tenant>."],
    ["https://example.com/whatever", "“whatever” is not a tenant. Use the Directory (tenant) ID from the Entra admin center, a domain such as contoso.onmicrosoft.com, organizations or common."],
    [`http://login.microsoftonline.com/${TENANT}`, "The authority must start with https:// (only the local emulator on localhost may use http://)."],
    ["login.microsoftonline.com/common", "“login.microsoftonline.com/common” is not a web address. Enter the authority as https://login.microsoftonline.com/<your tenant ID>."],
    [`ftp://login.microsoftonline.com/${TENANT}`, `“ftp://login.microsoftonline.com/${TENANT}” is not a web address. Enter the authority as https://login.microsoftonline.com/<your tenant ID>.`],
    [`https://user:pw@login.microsoftonline.com/${TENANT}`, "Remove the user name and password from the authority."],
    [`https://login.microsoftonline.com/${TENANT}/saml2`, `Remove “/saml2”: the authority ends with the tenant, as in https://login.microsoftonline.com/${TENANT}.`],
  ])("refuses %j with a sentence", (input, refusal) => {
    expect(validateAuthority(input, say)).toEqual({ ok: false, refusal });
  });

  it("never accepts an authority with a query, fragment or non-tenant path (property)", () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        const result = validateAuthority(url, say);
        if (!result.ok) return;
        const parsed = new URL(result.value);
        expect(parsed.search + parsed.hash).toBe("");
        expect(parsed.pathname.split("/").filter(Boolean)).toHaveLength(1);
        expect(parsed.protocol === "https:" || parsed.hostname === "localhost" || parsed.hostname === "127.0.0.1").toBe(true);
        // Idempotent: a saved value validates to itself, with no note.
        expect(validateAuthority(result.value, say)).toEqual({ ok: true, value: result.value });
      }),
    );
  });
});

describe("validateScopes", () => {
  it.each([
    ["User.Read", ["User.Read"]],
    ["User.Read  Mail.Send,User.Read", ["User.Read", "Mail.Send"]],
    ["api://demo/Data.Read", ["api://demo/Data.Read"]],
    ["https://graph.microsoft.com/.default", ["https://graph.microsoft.com/.default"]],
    [`api://${CLIENT}/access_as_user offline_access`, [`api://${CLIENT}/access_as_user`, "offline_access"]],
    [["00000003-0000-0000-c000-000000000000/.default"], ["00000003-0000-0000-c000-000000000000/.default"]],
  ])("accepts %j", (input, value) => {
    expect(validateScopes(input, say)).toEqual({ ok: true, value });
  });

  it.each([
    ["!!! ??? <script>", "!!!"],
    ["User.Read <script>", "<script>"],
    ["User.Read\u0000x", "User.Read\u0000x"],
    ['"User.Read"', '"User.Read"'],
    ["api://demo/", "api://demo/"],
  ])("refuses %j, naming %j", (input, bad) => {
    expect(validateScopes(input, say)).toEqual({
      ok: false,
      refusal: `“${bad}” is not a scope. Scopes have no spaces, quotes, < or >, for example User.Read or api://my-api/Data.Read.`,
    });
  });

  it("refuses an empty list for the settings and allows it (and *) for a grant", () => {
    expect(validateScopes("  ", say)).toEqual({ ok: false, refusal: "Enter at least one scope, for example User.Read." });
    expect(validateScopes("*", say)).toMatchObject({ ok: false });
    expect(validateScopes("*", say, { allowAny: true })).toEqual({ ok: true, value: ["*"] });
    expect(validateScopes([], say, { allowEmpty: true })).toEqual({ ok: true, value: [] });
  });

  it("never accepts a scope with whitespace, control characters, quotes or angle brackets (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), fc.constantFrom("<", ">", '"', "\u0001", "\u007f", "\\"), (text, bad) => {
        const result = validateScopes([`${text}${bad}x`], say);
        expect(result.ok).toBe(false);
      }),
    );
  });
});

describe("validateOrigin", () => {
  it.each([
    ["https://App.Contoso.com", "https://app.contoso.com"],
    ["https://app.contoso.com/", "https://app.contoso.com"],
    ["http://localhost:5173", "http://localhost:5173"],
  ])("accepts %s as %s", (input, value) => {
    expect(validateOrigin(input, say)).toEqual({ ok: true, value });
  });

  it.each([
    ["https://app.contoso.com/path/page", "A site is allowed by its origin, without a path. Did you mean https://app.contoso.com?"],
    ["https://app.contoso.com/?x=1", "A site is allowed by its origin, without a path. Did you mean https://app.contoso.com?"],
    ["https://app.contoso.com:8443/#a", "A site is allowed by its origin, without a path. Did you mean https://app.contoso.com:8443?"],
    ["app.contoso.com", "Add the scheme: did you mean https://app.contoso.com?"],
    ["null", "“null” is not a web address. Enter an origin such as https://app.contoso.com."],
    ["file:///etc/passwd", "Only http:// and https:// sites can be allowed, not “file:”."],
    ["chrome-extension://abc", "Only http:// and https:// sites can be allowed, not “chrome-extension:”."],
    ["", "Enter the site's origin, for example https://app.contoso.com."],
  ])("refuses %j with a sentence", (input, refusal) => {
    expect(validateOrigin(input, say)).toEqual({ ok: false, refusal });
  });

  it("anything accepted is its own origin, so a match pattern built from it is valid (property)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.string()), (text) => {
        const result = validateOrigin(text, say);
        if (!result.ok) return;
        expect(new URL(result.value).origin).toBe(result.value);
        expect(result.value).toMatch(/^https?:\/\/[^/?#]+$/);
      }),
    );
  });
});

describe("validateSettings and validateGrant answer per field", () => {
  it("normalises a valid form and keeps the notes", () => {
    expect(validateSettings({ authority: `https://login.microsoftonline.com/${TENANT}/v2.0`, clientId: CLIENT.toUpperCase(), defaultScopes: "User.Read" }, say)).toEqual({
      ok: true,
      value: { authority: `https://login.microsoftonline.com/${TENANT}`, clientId: CLIENT, defaultScopes: ["User.Read"] },
      notes: { authority: `Saved as https://login.microsoftonline.com/${TENANT}: the broker adds “/v2.0” itself.` },
    });
  });

  it("refuses every bad field of the issue's list at once", () => {
    const result = validateSettings({ authority: "https://login.microsoftonline.com", clientId: "my-app", defaultScopes: "!!! ??? <script>" }, say);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.refusals).sort()).toEqual(["authority", "clientId", "defaultScopes"]);
    expect(result.refusals.clientId).toMatch(/^“my-app” is not a client ID\./);
  });

  it("refuses non-string input without throwing", () => {
    expect(validateSettings({ authority: 42, clientId: null, defaultScopes: { a: 1 } }, say).ok).toBe(false);
  });

  it("validates a grant's client IDs and scopes", () => {
    expect(validateGrant({ origin: "https://app.contoso.com", clientIds: `${CLIENT} *`, scopes: "" }, say)).toEqual({
      ok: true,
      value: { origin: "https://app.contoso.com", clientIds: [CLIENT, "*"] },
      notes: {},
    });
    expect(validateClientIds("my-app", say)).toEqual({
      ok: false,
      refusal: "“my-app” is not a client ID: enter GUIDs such as 00000000-0000-0000-0000-000000000000, or * for any.",
    });
    const bad = validateGrant({ origin: "https://app.contoso.com/x", clientIds: [], scopes: "<b>" }, say);
    expect(bad.ok ? [] : Object.keys(bad.refusals).sort()).toEqual(["origin", "scopes"]);
  });

  it("every sentence used has a German translation with the same substitutions", () => {
    expect(used.size).toBeGreaterThan(15);
    for (const key of used) {
      expect(german[key], key).toBeTruthy();
      expect((german[key]!.match(/\$\d/g) ?? []).sort(), key).toEqual((english[key]!.match(/\$\d/g) ?? []).sort());
    }
  });
});
