import { describe, expect, it } from "vitest";
import { normalizeScopes, resourceScopes, scopesCover, scopesForRequest, scopesIntersect } from "./scopes.js";

describe("scopes", () => {
  it("normalises case, whitespace and duplicates", () => {
    expect(normalizeScopes(["User.Read  Mail.Read", "user.read", " "])).toEqual(["user.read", "mail.read"]);
  });

  it("drops the reserved OIDC scopes for cache keys, sorted", () => {
    expect(resourceScopes(["openid", "Mail.Read", "PROFILE", "offline_access", "User.Read"])).toEqual(["mail.read", "user.read"]);
  });

  it("adds the reserved scopes to requests once, keeping the caller's case", () => {
    expect(scopesForRequest(["User.Read", "OpenID"])).toEqual(["User.Read", "OpenID", "profile", "offline_access"]);
  });

  it("covers when granted ⊇ requested, ignoring reserved scopes and case", () => {
    expect(scopesCover(["User.Read", "Mail.Read", "openid"], ["user.read", "offline_access"])).toBe(true);
    expect(scopesCover(new Set(["user.read"]), ["USER.READ", "openid"])).toBe(true);
    expect(scopesCover(["User.Read"], ["User.Read", "Mail.Send"])).toBe(false);
  });

  it("detects intersecting resource scopes only", () => {
    expect(scopesIntersect(["openid", "User.Read"], ["user.read"])).toBe(true);
    expect(scopesIntersect(["openid", "User.Read"], ["openid", "Mail.Read"])).toBe(false);
  });
});
