import { opaqueValue } from "./random-id.js";

/** What an authorization code is bound to. */
export interface CodeGrant {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scope: string;
  username: string;
  sessionId: string;
  authTime: number;
  nonce?: string;
  /** The client declared the `cp1` capability in the authorize request's `claims`. */
  cae: boolean;
  expiresAt: number;
  /** The tenant path segment the code was issued on (codes from a tenant path stay in that tenant). */
  tenantPath: string;
}

interface StoredCode extends CodeGrant {
  redeemed: boolean;
}

export type CodeLookup =
  | { kind: "ok"; grant: CodeGrant }
  | { kind: "unknown" }
  | { kind: "redeemed"; grant: CodeGrant }
  | { kind: "expired"; grant: CodeGrant };

/** Single-use authorization codes. */
export class AuthorizationCodeStore {
  private readonly codes = new Map<string, StoredCode>();

  issue(grant: CodeGrant): string {
    const code = opaqueValue(48);
    this.codes.set(code, { ...grant, redeemed: false });
    return code;
  }

  /** Looks up and consumes the code: any later lookup reports `redeemed`. */
  redeem(code: string, now: number): CodeLookup {
    const stored = this.codes.get(code);
    if (!stored) return { kind: "unknown" };
    if (stored.redeemed) return { kind: "redeemed", grant: stored };
    stored.redeemed = true;
    if (stored.expiresAt <= now) return { kind: "expired", grant: stored };
    return { kind: "ok", grant: stored };
  }

  /** Drops codes long past their lifetime (kept a while so that reuse is still recognised). */
  prune(now: number): void {
    for (const [code, stored] of this.codes) if (stored.expiresAt + 3600_000 < now) this.codes.delete(code);
  }

  clear(): void {
    this.codes.clear();
  }
}
