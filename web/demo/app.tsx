import { useCallback, useEffect, useRef, useState } from "react";
import { AuthShellError } from "resilient-token-broker/shell";
import { RequireRole, useAccount, useAuthFetch, useAuthShell } from "resilient-token-broker/react";
import type { ShellConfig } from "./config.js";
import { ProfilePanel, type Profile } from "./components/profile-panel.js";
import { AdminPanel } from "./components/admin-panel.js";
import { OverageNotice } from "./components/overage-notice.js";
import { StatusPanel } from "./components/status-panel.js";
import { useSecondTicker } from "./components/use-second-ticker.js";
import { useFocusAfter } from "./components/use-focus-after.js";

/** Errors that simply mean "not signed in yet": shown as the sign-in button, not as a failure. */
const QUIET_ON_START = new Set(["no_account", "interaction_required", "login_required", "invalid_grant"]);

export function App({ config }: { config: ShellConfig }) {
  const shell = useAuthShell();
  const account = useAccount();
  const authFetch = useAuthFetch();
  const claims = shell.claims();
  const [profile, setProfile] = useState<Profile | undefined>();
  const [error, setError] = useState<AuthShellError | undefined>();
  const [pendingClaims, setPendingClaims] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  // Finished profile loads and the last one's outcome (data attributes the e2e tests wait on).
  const [loads, setLoads] = useState<{ seq: number; status: "ok" | "error" | "none" }>({ seq: 0, status: "none" });
  // Waits count down: re-render every second while an error carries one.
  useSecondTicker(error?.retryAfterMs !== undefined);
  // Sign in and Sign out replace each other in the header; focus follows to the one now shown.
  const signInButton = useRef<HTMLButtonElement>(null);
  const signOutButton = useRef<HTMLButtonElement>(null);
  const focusAfter = useFocusAfter();

  const loadProfile = useCallback(
    async (quiet: boolean) => {
      setBusy(true);
      try {
        const response = await authFetch(`${config.graphBaseUrl}/v1.0/me`, { scopes: config.scopes });
        if (response.status !== 200) {
          throw new AuthShellError(response.status === 401 ? "interaction_required" : "idp_error", `The profile service answered ${response.status}`);
        }
        setProfile((await response.json()) as Profile);
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
    [authFetch, config],
  );

  // Again when the mode changes: a tab that loaded before the extension's bridge (restored at browser
  // start-up) switches to the extension later and is signed in through it, with no reload.
  const mode = shell.mode;
  useEffect(() => {
    // Silent first: a returning user (or any tab when the extension is present) needs no prompt.
    void loadProfile(true);
  }, [loadProfile, mode]);

  const signIn = async () => {
    // The button is aria-disabled, not disabled, while busy (so it keeps focus): ignore presses here.
    if (busy) return;
    setBusy(true);
    try {
      await shell.signIn(pendingClaims ? { claims: pendingClaims } : {});
      setError(undefined);
      await loadProfile(false);
      focusAfter(signOutButton);
    } catch (caught) {
      setError(AuthShellError.from(caught));
      focusAfter(signInButton);
    } finally {
      setBusy(false);
    }
  };

  const signOut = async () => {
    await shell.signOut();
    focusAfter(signInButton);
    setProfile(undefined);
    setError(undefined);
  };

  const signedIn = account !== null && profile !== undefined;
  return (
    <>
      <header>
        <h1 data-testid="app-name">{config.appName}</h1>
        <span className="account">
          {account ? (
            <>
              <span data-testid="shell-account">{account.name ?? account.username}</span>{" "}
              <button ref={signOutButton} className="on-dark secondary" data-testid="shell-sign-out" onClick={() => void signOut()}>
                Sign out
              </button>
            </>
          ) : (
            <button ref={signInButton} className="on-dark" data-testid="shell-sign-in" aria-disabled={busy} onClick={() => void signIn()}>
              Sign in
            </button>
          )}
        </span>
      </header>
      <main>
        {error && (
          <section className="error wide" role="alert" data-testid="shell-error" data-code={error.code}>
            {shell.describeError(error)}{" "}
            {account && QUIET_ON_START.has(error.code) && (
              <button data-testid="shell-sign-in-again" onClick={() => void signIn()}>
                Sign in
              </button>
            )}
          </section>
        )}
        {claims?.groupsOverage && <OverageNotice claims={claims} />}
        <ProfilePanel profile={signedIn ? profile : undefined} busy={busy} loads={loads} onReload={() => void loadProfile(false)} />
        <RequireRole role="Admin">{claims && <AdminPanel claims={claims} />}</RequireRole>
        <StatusPanel />
      </main>
    </>
  );
}
