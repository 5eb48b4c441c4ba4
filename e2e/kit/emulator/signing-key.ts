import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, jwtVerify, type JWK, type JWTPayload } from "jose";

type SigningKeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

/** The emulator's RS256 token-signing key, published in the JWKS with its `kid`. */
export class SigningKey {
  private constructor(
    private readonly pair: SigningKeyPair,
    readonly kid: string,
    readonly publicJwk: JWK,
  ) {}

  static async create(): Promise<SigningKey> {
    const pair = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
    const jwk = await exportJWK(pair.publicKey);
    const kid = (await calculateJwkThumbprint(jwk)).slice(0, 27);
    return new SigningKey(pair, kid, { ...jwk, kid, use: "sig", alg: "RS256", x5t: kid });
  }

  sign(payload: JWTPayload): Promise<string> {
    return new SignJWT(payload).setProtectedHeader({ typ: "JWT", alg: "RS256", kid: this.kid }).sign(this.pair.privateKey);
  }

  /** Verifies signature, issuer and audience at `nowMs`; throws jose errors on failure. */
  async verify(token: string, issuer: string, audience: string, nowMs: number): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, this.pair.publicKey, {
      issuer,
      audience,
      algorithms: ["RS256"],
      currentDate: new Date(nowMs),
      clockTolerance: 5,
    });
    return payload;
  }
}
