import { describe, expect, it } from "vitest";
import { parseTokenResponse } from "./token-response.js";

describe("parseTokenResponse", () => {
  it("reads every field, accepting string numbers as Entra v1 sent them", () => {
    const r = parseTokenResponse(
      JSON.stringify({
        token_type: "bearer",
        access_token: "AT",
        refresh_token: "RT",
        id_token: "a.b.c",
        client_info: "ci",
        scope: "User.Read  openid",
        expires_in: "3600",
        ext_expires_in: 7200,
        refresh_in: 1800,
      }),
    );
    expect(r).toEqual({
      accessToken: "AT",
      refreshToken: "RT",
      idToken: "a.b.c",
      clientInfo: "ci",
      scopes: ["User.Read", "openid"],
      expiresInSec: 3600,
      extExpiresInSec: 7200,
      refreshInSec: 1800,
    });
  });

  it.each([
    ["not json", "{"],
    ["an array", "[]"],
    ["no access_token", JSON.stringify({ expires_in: 10 })],
    ["no expires_in", JSON.stringify({ access_token: "x" })],
    ["expires_in 0", JSON.stringify({ access_token: "x", expires_in: 0 })],
    ["negative expires_in", JSON.stringify({ access_token: "x", expires_in: -5 })],
    ["a PoP token", JSON.stringify({ access_token: "x", expires_in: 10, token_type: "pop" })],
  ])("rejects %s as invalid_response", (_, text) => {
    expect(() => parseTokenResponse(text)).toThrow(expect.objectContaining({ code: "invalid_response" }));
  });

  it("ignores a zero refresh_in and garbage optional fields", () => {
    const r = parseTokenResponse(JSON.stringify({ access_token: "x", expires_in: 10, refresh_in: 0, ext_expires_in: "soon", scope: 5 }));
    expect(r).toEqual({ accessToken: "x", expiresInSec: 10, scopes: [] });
  });
});
