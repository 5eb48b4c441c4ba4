import { opaqueValue } from "./random-id.js";

/** A chain of rotated refresh tokens that started with one sign-in. */
export interface TokenFamily {
  id: string;
  clientId: string;
  clientType: "spa" | "public";
  username: string;
  sessionId: string;
  /** Epoch ms of the interactive sign-in behind this family. */
  authTime: number;
  createdAt: number;
  expiresAt: number;
  /** Why the family is dead, if it is. */
  revoked?: "reuse" | "user_revoked";
}

interface StoredRefreshToken {
  familyId: string;
  used: boolean;
}

export type RefreshLookup =
  | { kind: "ok"; family: TokenFamily }
  | { kind: "unknown" }
  | { kind: "reused"; family: TokenFamily }
  | { kind: "revoked"; family: TokenFamily }
  | { kind: "expired"; family: TokenFamily };

/** Refresh tokens with rotation on every use and optional reuse detection that revokes the whole family. */
export class RefreshTokenStore {
  private readonly families = new Map<string, TokenFamily>();
  private readonly tokens = new Map<string, StoredRefreshToken>();

  startFamily(init: Omit<TokenFamily, "id">): TokenFamily {
    const family: TokenFamily = { ...init, id: opaqueValue(12) };
    this.families.set(family.id, family);
    return family;
  }

  /** Issues the next refresh token of `family`. */
  issue(family: TokenFamily): string {
    const token = opaqueValue(64);
    this.tokens.set(token, { familyId: family.id, used: false });
    return token;
  }

  /** The family of a token, without using it (for loop detection before the grant). */
  familyOf(token: string): TokenFamily | undefined {
    const stored = this.tokens.get(token);
    return stored ? this.families.get(stored.familyId) : undefined;
  }

  /**
   * Looks the token up and, when it is valid, marks it used (rotation). Presenting a used token
   * again is allowed (Entra: an earlier RT stays valid until it expires) unless `reuse` is
   * `revoke_family`, which revokes the whole family (the strict, OAuth-BCP-style option).
   */
  consume(token: string, now: number, reuse: "allow" | "revoke_family" = "allow"): RefreshLookup {
    const stored = this.tokens.get(token);
    const family = stored ? this.families.get(stored.familyId) : undefined;
    if (!stored || !family) return { kind: "unknown" };
    if (family.revoked) return { kind: "revoked", family };
    if (stored.used && reuse === "revoke_family") {
      family.revoked = "reuse";
      return { kind: "reused", family };
    }
    if (family.expiresAt <= now) return { kind: "expired", family };
    stored.used = true;
    return { kind: "ok", family };
  }

  revokeUser(username: string): number {
    let count = 0;
    for (const family of this.families.values()) {
      if (family.username === username && !family.revoked) {
        family.revoked = "user_revoked";
        count++;
      }
    }
    return count;
  }

  expireFor(username: string | undefined, now: number): number {
    let count = 0;
    for (const family of this.families.values()) {
      if (username === undefined || family.username === username) {
        family.expiresAt = Math.min(family.expiresAt, now);
        count++;
      }
    }
    return count;
  }

  liveFamilies(now: number): number {
    return [...this.families.values()].filter((f) => !f.revoked && f.expiresAt > now).length;
  }

  clear(): void {
    this.families.clear();
    this.tokens.clear();
  }
}
