import { describe, expect, it } from "vitest";
import { AuthShellError } from "../errors.js";
import {
  claimsChallengeFrom,
  CP1_CLAIMS,
  hasAccessTokenClaims,
  hasBearerChallenge,
  mergeClaims,
  withClientCapabilities,
} from "./claims-request.js";

const challengeClaims = '{"access_token":{"nbf":{"essential":true,"value":"1604106651"}}}';
const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
const base64url = (text: string) => Buffer.from(text, "utf8").toString("base64url");
const header = (claims: string) =>
  `Bearer realm="", authorization_uri="https://login.example/common/oauth2/authorize", error="insufficient_claims", claims="${claims}"`;

describe("claimsChallengeFrom", () => {
  it("decodes base64 claims of an insufficient_claims challenge", () => {
    expect(claimsChallengeFrom(header(base64(challengeClaims)))).toBe(challengeClaims);
  });

  it("decodes base64url claims without padding, including non-ASCII text", () => {
    const claims = '{"access_token":{"acrs":{"essential":true,"value":"c1"},"note":"ü>>>?"}}';
    expect(base64url(claims)).toMatch(/[-_]/);
    expect(claimsChallengeFrom(header(base64url(claims)))).toBe(claims);
  });

  it("accepts raw JSON claims", () => {
    expect(claimsChallengeFrom(`Bearer error="insufficient_claims", claims="${challengeClaims.replace(/"/g, '\\"')}"`)).toBe(challengeClaims);
  });

  it("finds the challenge among several", () => {
    expect(claimsChallengeFrom(`Basic realm="x", ${header(base64(challengeClaims))}`)).toBe(challengeClaims);
  });

  it.each([
    ["no header", undefined],
    ["an empty header", ""],
    ["another error", `Bearer error="invalid_token", claims="${base64(challengeClaims)}"`],
    ["no claims parameter", 'Bearer error="insufficient_claims"'],
    ["another scheme", `Basic error="insufficient_claims", claims="${base64(challengeClaims)}"`],
    ["claims that are not base64", header("%%%not base64%%%")],
    ["base64 of an impossible length", header("abcde")],
    ["base64 of invalid UTF-8", header(Buffer.from([0xff, 0xfe]).toString("base64"))],
    ["base64 of something that is not JSON", header(base64("hello"))],
    ["base64 of a JSON array", header(base64("[1]"))],
    ["raw JSON that does not parse", 'Bearer error="insufficient_claims", claims="{oops"'],
  ])("is undefined for %s", (_label, value) => {
    expect(claimsChallengeFrom(value)).toBeUndefined();
  });

  it("detects bearer challenges", () => {
    expect(hasBearerChallenge('Bearer error="invalid_token"')).toBe(true);
    expect(hasBearerChallenge("Basic")).toBe(false);
  });
});

describe("claims merging", () => {
  it("without cp1: the challenge claims are sent as they are", () => {
    expect(JSON.parse(withClientCapabilities(challengeClaims, []))).toEqual(JSON.parse(challengeClaims));
  });

  it("with cp1: the challenge claims are deep-merged with the capability", () => {
    expect(JSON.parse(withClientCapabilities(challengeClaims, ["cp1"]))).toEqual({
      access_token: { nbf: { essential: true, value: "1604106651" }, xms_cc: { values: ["cp1"] } },
    });
  });

  it("cp1 alone is exactly CP1_CLAIMS", () => {
    expect(withClientCapabilities(undefined, ["cp1"])).toBe(CP1_CLAIMS);
  });

  it("unions `values` arrays without duplicates", () => {
    const merged = mergeClaims(CP1_CLAIMS, '{"access_token":{"xms_cc":{"values":["cp2","cp1"]}}}');
    expect(JSON.parse(merged)).toEqual({ access_token: { xms_cc: { values: ["cp1", "cp2"] } } });
  });

  it("merges id_token and access_token members; later scalars win", () => {
    const merged = mergeClaims('{"id_token":{"auth_time":{"essential":true}},"x":1}', '{"access_token":{"a":1},"x":2}', undefined, "  ");
    expect(JSON.parse(merged)).toEqual({ id_token: { auth_time: { essential: true } }, access_token: { a: 1 }, x: 2 });
  });

  it("returns '' when there is nothing to send", () => {
    expect(mergeClaims()).toBe("");
    expect(mergeClaims("{}", undefined)).toBe("");
    expect(withClientCapabilities(undefined, [])).toBe("");
  });

  it("rejects claims that are not a JSON object", () => {
    expect(() => mergeClaims("{not json")).toThrow(AuthShellError);
    expect(() => mergeClaims("[1,2]")).toThrow(/JSON object/);
  });
});

describe("hasAccessTokenClaims", () => {
  it("is true only for an access_token member", () => {
    expect(hasAccessTokenClaims(challengeClaims)).toBe(true);
    expect(hasAccessTokenClaims(CP1_CLAIMS)).toBe(true);
    expect(hasAccessTokenClaims('{"id_token":{"auth_time":{"essential":true}}}')).toBe(false);
    expect(hasAccessTokenClaims('{"access_token":null}')).toBe(false);
    expect(hasAccessTokenClaims("[]")).toBe(false);
    expect(hasAccessTokenClaims("not json")).toBe(false);
    expect(hasAccessTokenClaims("")).toBe(false);
    expect(hasAccessTokenClaims(undefined)).toBe(false);
  });
});
