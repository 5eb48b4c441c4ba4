import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from "react";
import { AuthShellError } from "../../shared/errors";
import { hasRole } from "../../shared/claims/id-token-claims";
import type { ShellAuth } from "./auth/shell-auth";
import { createAuthFetch } from "./auth/auth-fetch";
import { describeError } from "./auth/error-text";
import { createFetchHttpClient } from "../../shared/platform/fetch-http-client";
import { pageRandom } from "./platform/web-random";
import { createSystemClock } from "../../shared/platform/system-clock";
import { ProfilePanel, type Profile } from "./components/profile-panel";
import { AdminPanel } from "./components/admin-panel";
import { OverageNotice } from "./components/overage-notice";
import { StatusPanel } from "./components/status-panel";

/** Errors that simply mean "not signed in yet": shown as the sign-in button, not as a failure. */
const QUIET_ON_START = new Set(["no_account", "interaction_required", "login_required", "invalid_grant"]);

export function App({ shell }: { shell: ShellAuth }) {
  const version = useSyncExternalStore(
    useCallback((cb: () => void) => shell.subscribe(cb), [shell]),
    () => shell.revision(),
  );
  const [profile, setProfile] = useState<Profile | undefined>();
  const [error, setError] = useState<AuthShellError | undefined>();
  const [pendingClaims, setPendingClaims] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  // Finished profile loads and the last one's outcome (data attributes the e2e tests wait on).
  const [loads, setLoads] = useState<{ seq: number; status: "ok" | "error" | "none" }>({ seq: 0, status: "none" });
  const account = shell.account();
  const identity = shell.identity();

  const authFetch = useMemo(
    () =>
      createAuthFetch({
        getToken: (scopes, claims) => shell.getToken(scopes, claims),
        http: createFetchHttpClient(),
        clock: createSystemClock(),
        random: pageRandom,
        gate: shell.gate,
        breaker: shell.breaker,
        events: shell.events,
      }),
    [shell],
  );

  const loadProfile = useCallback(
    async (quiet: boolean) => {
      setBusy(true);
      try {
        const response = await authFetch(`${shell.config.graphBaseUrl}/v1.0/me`, { scopes: shell.config.scopes });
        if (response.status !== 200) {
          throw new AuthShellError(response.status === 401 ? "interaction_required" : "idp_error", `The profile service answered ${response.status}`);
        }
        setProfile(JSON.parse(await response.text()) as Profile);
        setError(undefined);
        setPendingClaims(undefined);
        setLoads((l) => ({ seq: l.seq + 1, status: "ok" }));
      } catch (caught) {
        const failure = AuthShellError.from(caught);
        if (failure.claims) setPendingClaims(failure.claims);
        if (!(quiet && QUIET_ON_START.has(failure.code))) setError(failure);
        setLoads((l) => ({ seq: l.seq + 1, status: "error" }));
      } finally {
        setBusy(false);
      }
    },
    [authFetch, shell],
  );

  useEffect(() => {
    // Silent first: a returning user (or any tab when the extension is present) needs no prompt.
    void loadProfile(true);
  }, [loadProfile]);

  const signIn = async () => {
    setBusy(true);
    try {
      await shell.signIn(pendingClaims);
      setError(undefined);
      await loadProfile(false);
    } catch (caught) {
      setError(AuthShellError.from(caught));
    } finally {
      setBusy(false);
    }
  };

  const signOut = async () => {
    await shell.signOut();
    setProfile(undefined);
    setError(undefined);
  };

  const signedIn = account !== null && profile !== undefined;
  return (
    <>
      <header data-version={version}>
        <strong data-testid="app-name">{shell.config.appName}</strong>
        <span>
          {account ? (
            <>
              <span data-testid="shell-account">{account.name ?? account.username}</span>{" "}
              <button className="secondary" data-testid="shell-sign-out" onClick={() => void signOut()}>
                Sign out
              </button>
            </>
          ) : (
            <button data-testid="shell-sign-in" disabled={busy} onClick={() => void signIn()}>
              Sign in
            </button>
          )}
        </span>
      </header>
      <main>
        {error && (
          <section className="error wide" data-testid="shell-error" data-code={error.code}>
            {describeError(error)}{" "}
            {account && QUIET_ON_START.has(error.code) && (
              <button data-testid="shell-sign-in-again" onClick={() => void signIn()}>
                Sign in
              </button>
            )}
          </section>
        )}
        {identity?.groupsOverage && <OverageNotice />}
        <ProfilePanel profile={signedIn ? profile : undefined} busy={busy} loads={loads} onReload={() => void loadProfile(false)} />
        {identity && hasRole(identity, "Admin") && <AdminPanel identity={identity} />}
        <StatusPanel shell={shell} />
      </main>
    </>
  );
}
