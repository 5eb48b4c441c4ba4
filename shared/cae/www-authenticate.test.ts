import { describe, expect, it } from "vitest";
import { findChallenge, parseWwwAuthenticate } from "./www-authenticate.js";

describe("parseWwwAuthenticate", () => {
  it("parses an Entra CAE challenge", () => {
    const header =
      'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnt9fQ=="';
    expect(parseWwwAuthenticate(header)).toEqual([
      {
        scheme: "bearer",
        params: {
          realm: "",
          authorization_uri: "https://login.microsoftonline.com/common/oauth2/authorize",
          client_id: "00000003-0000-0000-c000-000000000000",
          error: "insufficient_claims",
          claims: "eyJhY2Nlc3NfdG9rZW4iOnt9fQ==",
        },
      },
    ]);
  });

  it("splits several challenges in one header", () => {
    const challenges = parseWwwAuthenticate('Basic realm="simple", Bearer error="invalid_token", error_description="expired, renew", PoP nonce=abc');
    expect(challenges.map((c) => c.scheme)).toEqual(["basic", "bearer", "pop"]);
    expect(challenges[1]!.params).toEqual({ error: "invalid_token", error_description: "expired, renew" });
    expect(challenges[2]!.params).toEqual({ nonce: "abc" });
  });

  it("unescapes quoted strings", () => {
    const [challenge] = parseWwwAuthenticate('Bearer error_description="say \\"hi\\" \\\\ now", x="a,b"');
    expect(challenge!.params.error_description).toBe('say "hi" \\ now');
    expect(challenge!.params.x).toBe("a,b");
  });

  it("reads token68 credentials, with and without padding", () => {
    expect(parseWwwAuthenticate("Negotiate YII+/abc==, Basic realm=x")).toEqual([
      { scheme: "negotiate", params: {}, token68: "YII+/abc==" },
      { scheme: "basic", params: { realm: "x" } },
    ]);
    expect(parseWwwAuthenticate("Negotiate abc")).toEqual([{ scheme: "negotiate", params: {}, token68: "abc" }]);
  });

  it("treats scheme and parameter names case-insensitively, keeping value case", () => {
    const [challenge] = parseWwwAuthenticate('BEARER Error="Insufficient_Claims", CLAIMS = "AbC"');
    expect(challenge).toEqual({ scheme: "bearer", params: { error: "Insufficient_Claims", claims: "AbC" } });
    expect(findChallenge(parseWwwAuthenticate("Basic x=1, BeArEr y=2"), "BEARER")?.params).toEqual({ y: "2" });
  });

  it("keeps the first of duplicated parameters", () => {
    expect(parseWwwAuthenticate("Bearer error=a, error=b")[0]!.params).toEqual({ error: "a" });
  });

  it("accepts bare schemes and empty list elements", () => {
    expect(parseWwwAuthenticate("Bearer")).toEqual([{ scheme: "bearer", params: {} }]);
    expect(parseWwwAuthenticate(" , Bearer ,, Basic ,")).toEqual([
      { scheme: "bearer", params: {} },
      { scheme: "basic", params: {} },
    ]);
  });

  it("tolerates garbage without losing the good parts", () => {
    expect(parseWwwAuthenticate("")).toEqual([]);
    expect(parseWwwAuthenticate(null)).toEqual([]);
    expect(parseWwwAuthenticate(undefined)).toEqual([]);
    expect(parseWwwAuthenticate('@@@ "x,y", orphan=1, Bearer error="e" junk!, claims="c"')).toEqual([
      { scheme: "bearer", params: { error: "e", claims: "c" } },
    ]);
    expect(parseWwwAuthenticate('Bearer error="unterminated')).toEqual([{ scheme: "bearer", params: { error: "unterminated" } }]);
    expect(parseWwwAuthenticate("Bearer,x=1")[0]).toEqual({ scheme: "bearer", params: { x: "1" } });
    expect(parseWwwAuthenticate("Bearer;junk, Basic")).toEqual([
      { scheme: "bearer", params: {} },
      { scheme: "basic", params: {} },
    ]);
  });

  it("returns undefined when no challenge has the scheme", () => {
    expect(findChallenge(parseWwwAuthenticate("Basic"), "bearer")).toBeUndefined();
  });
});
