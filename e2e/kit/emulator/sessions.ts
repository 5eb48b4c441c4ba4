import { opaqueValue } from "./random-id.js";

/** A browser session at the authorize endpoint (the cookie's value is the session ID). */
export interface Session {
  id: string;
  username: string;
  /** Epoch ms of the password sign-in that created the session. */
  authTime: number;
  expiresAt: number;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  create(username: string, now: number, lifetimeSeconds: number): Session {
    const session: Session = { id: opaqueValue(24), username, authTime: now, expiresAt: now + lifetimeSeconds * 1000 };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session for this ID, or undefined when unknown or expired. */
  get(id: string | undefined, now: number): Session | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (session.expiresAt <= now) {
      this.sessions.delete(id);
      return undefined;
    }
    return session;
  }

  delete(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  /** Ends every session of `username` (or of everyone). Returns how many ended. */
  endFor(username: string | undefined): number {
    let count = 0;
    for (const [id, s] of this.sessions) {
      if (username === undefined || s.username === username) {
        this.sessions.delete(id);
        count++;
      }
    }
    return count;
  }

  /** Makes sessions expire now (they stay unusable), for `POST /__control/expire`. */
  expireFor(username: string | undefined, now: number): number {
    let count = 0;
    for (const s of this.sessions.values()) {
      if (username === undefined || s.username === username) {
        s.expiresAt = Math.min(s.expiresAt, now);
        count++;
      }
    }
    return count;
  }

  count(now: number): number {
    return [...this.sessions.values()].filter((s) => s.expiresAt > now).length;
  }

  clear(): void {
    this.sessions.clear();
  }
}
