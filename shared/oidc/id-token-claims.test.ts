import { describe, expect, it } from "vitest";
import { hasRole, inGroup, readIdTokenClaims } from "./id-token-claims.js";

const GROUP = "5f0c3f6e-1d2a-4d8e-9c1b-0a1b2c3d4e5f";

describe("readIdTokenClaims", () => {
  it("reads identity, roles and groups", () => {
    const claims = readIdTokenClaims({
      tid: "tenant-1",
      oid: "object-1",
      preferred_username: "ada@contoso.example",
      name: "Ada Lovelace",
      roles: ["Admin", "Reader", 7, ""],
      groups: [GROUP, null],
    });
    expect(claims).toEqual({
      tenantId: "tenant-1",
      oid: "object-1",
      username: "ada@contoso.example",
      name: "Ada Lovelace",
      roles: ["Admin", "Reader"],
      groups: [GROUP],
      groupsOverage: false,
    });
  });

  it("leaves missing identity claims out and lists empty", () => {
    expect(readIdTokenClaims({ tid: "", roles: "nope-not-array?" })).toEqual({ roles: ["nope-not-array?"], groups: [], groupsOverage: false });
    expect(readIdTokenClaims({ roles: 5, groups: {} })).toEqual({ roles: [], groups: [], groupsOverage: false });
    expect(readIdTokenClaims({ roles: "" }).roles).toEqual([]);
  });

  it("falls back from preferred_username to upn to email", () => {
    expect(readIdTokenClaims({ upn: "u@x" }).username).toBe("u@x");
    expect(readIdTokenClaims({ email: "e@x" }).username).toBe("e@x");
  });

  it("detects groups overage through _claim_names.groups", () => {
    const claims = readIdTokenClaims({ _claim_names: { groups: "src1" }, _claim_sources: { src1: { endpoint: "https://graph" } } });
    expect(claims.groupsOverage).toBe(true);
    expect(claims.groups).toEqual([]);
    expect(inGroup(claims, GROUP)).toBe(false);
  });

  it("detects groups overage through hasgroups", () => {
    expect(readIdTokenClaims({ hasgroups: true }).groupsOverage).toBe(true);
    expect(readIdTokenClaims({ hasgroups: "true" }).groupsOverage).toBe(true);
    expect(readIdTokenClaims({ hasgroups: false }).groupsOverage).toBe(false);
    expect(readIdTokenClaims({ _claim_names: { other: "x" } }).groupsOverage).toBe(false);
    expect(readIdTokenClaims({ _claim_names: null }).groupsOverage).toBe(false);
  });
});

describe("hasRole / inGroup", () => {
  const claims = readIdTokenClaims({ roles: ["Admin"], groups: [GROUP] });

  it("hasRole matches role values exactly", () => {
    expect(hasRole(claims, "Admin")).toBe(true);
    expect(hasRole(claims, "admin")).toBe(false);
    expect(hasRole(claims, "Reader")).toBe(false);
  });

  it("inGroup compares object IDs case-insensitively", () => {
    expect(inGroup(claims, GROUP.toUpperCase())).toBe(true);
    expect(inGroup(claims, "00000000-0000-0000-0000-000000000000")).toBe(false);
  });
});
