import { describe, expect, it } from "vitest";
import { makeIdToken } from "../chain/broker-harness.test-support.js";
import { base64UrlEncode } from "./base64url.js";
import { homeAccountIdFrom, homeAccountIdFromClaims } from "./client-info.js";
import { checkAudience, checkNonce, decodeIdToken } from "./id-token.js";

const b64 = (s: string) => base64UrlEncode(new TextEncoder().encode(s));

describe("ID token", () => {
  it("decodes the payload, including non-ASCII names", () => {
    const claims = decodeIdToken(makeIdToken({ name: "Zoë Ünal", nonce: "n1", aud: "cid" }));
    expect(claims.name).toBe("Zoë Ünal");
    expect(() => checkNonce(claims, "n1")).not.toThrow();
    expect(() => checkAudience(claims, "cid")).not.toThrow();
    expect(() => checkAudience({ aud: ["x", "cid"] }, "cid")).not.toThrow();
  });

  it("rejects a wrong nonce ('nonce_mismatch') and a foreign audience", () => {
    const claims = decodeIdToken(makeIdToken({ nonce: "n1", aud: "other" }));
    expect(() => checkNonce(claims, "n2")).toThrow(expect.objectContaining({ code: "nonce_mismatch" }));
    expect(() => checkNonce({}, "n2")).toThrow(expect.objectContaining({ code: "nonce_mismatch" }));
    expect(() => checkAudience(claims, "cid")).toThrow(expect.objectContaining({ code: "invalid_response" }));
  });

  it.each(["", "a.b", "a.!!!.c", `a.${b64("[1]")}.c`, `a.${b64("not json")}.c`, `a.${b64("null")}.c`])("rejects %s", (jwt) => {
    expect(() => decodeIdToken(jwt)).toThrow(expect.objectContaining({ code: "invalid_response" }));
  });
});

describe("client_info", () => {
  it("gives homeAccountId = uid.utid", () => {
    expect(homeAccountIdFrom(b64(JSON.stringify({ uid: "u", utid: "t" })))).toBe("u.t");
  });

  it.each([b64("{}"), b64(JSON.stringify({ uid: "u" })), "%%%", b64("nope")])("rejects %s", (ci) => {
    expect(() => homeAccountIdFrom(ci)).toThrow(expect.objectContaining({ code: "invalid_response" }));
  });

  it("falls back to oid.tid (or sub.tid) from ID-token claims", () => {
    expect(homeAccountIdFromClaims({ oid: "o", tid: "t" })).toBe("o.t");
    expect(homeAccountIdFromClaims({ sub: "s", tid: "t" })).toBe("s.t");
    expect(homeAccountIdFromClaims({ oid: "o" })).toBeUndefined();
  });
});
