import type { ScriptedResponse } from "./fake-http.js";
import type { RecordedRequest } from "./fake-http.js";

/**
 * A tiny IdP token endpoint that rotates refresh tokens: each refresh token can be redeemed once;
 * redeeming it issues a new access token and a new refresh token. Presenting a refresh token that
 * was already redeemed (or never issued) is answered with `invalid_grant` and recorded as a reuse.
 * It remembers which tokens were presented while another request with the same token was still
 * being answered (`concurrentPresentations`), for tests that hold responses back.
 */
export class FakeRotatingIdp {
  /** Refresh tokens successfully redeemed, in order, with the time. */
  readonly redemptions: Array<{ refreshToken: string; at: number }> = [];
  /** Presentations of a refresh token that was already redeemed or never issued. */
  readonly reuses: Array<{ refreshToken: string; at: number }> = [];
  private readonly live = new Set<string>();
  private readonly redeemed = new Set<string>();
  private counter = 0;

  constructor(private readonly accessTokenLifetimeSeconds: () => number = () => 3600) {}

  /** Issues the first refresh token for an account (as the code redemption would). */
  issueInitial(account: string): string {
    return this.mint(account);
  }

  /** Answers a `grant_type=refresh_token` request (use as a FakeHttp function step). */
  handle(request: RecordedRequest): ScriptedResponse {
    const presented = request.form.get("refresh_token") ?? "";
    if (!this.live.has(presented)) {
      this.reuses.push({ refreshToken: presented, at: request.at });
      return { status: 400, body: { error: "invalid_grant", error_description: "AADSTS70000: refresh token already used" } };
    }
    this.live.delete(presented);
    this.redeemed.add(presented);
    this.redemptions.push({ refreshToken: presented, at: request.at });
    const account = presented.split("#")[0] ?? "";
    return {
      status: 200,
      body: {
        token_type: "Bearer",
        access_token: `at-${++this.counter}`,
        refresh_token: this.mint(account),
        expires_in: this.accessTokenLifetimeSeconds(),
      },
    };
  }

  /** Whether `refreshToken` was redeemed more than once (never possible: the second is a reuse). */
  redeemedTwice(): boolean {
    const seen = new Set<string>();
    return this.redemptions.some(({ refreshToken }) => (seen.has(refreshToken) ? true : (seen.add(refreshToken), false)));
  }

  private mint(account: string): string {
    const token = `${account}#rt-${++this.counter}`;
    this.live.add(token);
    return token;
  }
}
