import { useCallback, useContext, useEffect, useState } from "react";
import { AuthShellError, type AccessTokenResult, type AuthFetchOptions, type AuthShell, type AuthShellAccount } from "resilient-token-broker/shell";
import { ShellContext, type ShellContextValue } from "./provider.js";

function useShellContext(): ShellContextValue {
  const value = useContext(ShellContext);
  if (!value) throw new AuthShellError("config_error", "Auth shell hooks must be used inside <AuthShellProvider>");
  return value;
}

/** The AuthShell of the nearest AuthShellProvider (re-renders the caller on every shell change). */
export function useAuthShell(): AuthShell {
  return useShellContext().shell;
}

/** The signed-in account, or null. */
export function useAccount(): AuthShellAccount | null {
  return useShellContext().shell.getAccount();
}

export interface AccessTokenState {
  /** The access token, or null while loading or after an error. Send it; never display or log it. */
  token: string | null;
  /** The whole result (expiry, granted scopes, where it came from). */
  result: AccessTokenResult | null;
  error: AuthShellError | null;
  loading: boolean;
  /** Acquires again (e.g. after the user signed in, or with `forceRefresh`). */
  refresh(options?: { forceRefresh?: boolean }): void;
  /** Interactive sign-in for these scopes (with the claims of a pending challenge), then acquires again. */
  signIn(): Promise<void>;
}

/**
 * A token for `scopes`, acquired silently when the component mounts, when the account changes and
 * on `refresh()`. Not signed in: `error.code` is `no_account` (call `signIn`).
 */
export function useAccessToken(scopes: string[]): AccessTokenState {
  const { shell } = useShellContext();
  const account = shell.getAccount()?.homeAccountId ?? "";
  const key = [...scopes].sort().join(" ");
  const [state, setState] = useState<Omit<AccessTokenState, "refresh" | "signIn">>({ token: null, result: null, error: null, loading: true });
  const [round, setRound] = useState<{ n: number; forceRefresh: boolean }>({ n: 0, forceRefresh: false });

  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    shell.getToken({ scopes: key.split(" "), ...(round.forceRefresh ? { forceRefresh: true } : {}) }).then(
      (result) => live && setState({ token: result.accessToken, result, error: null, loading: false }),
      (error: unknown) => live && setState({ token: null, result: null, error: AuthShellError.from(error), loading: false }),
    );
    return () => {
      live = false;
    };
  }, [shell, key, account, round]);

  const refresh = useCallback((options: { forceRefresh?: boolean } = {}) => setRound((r) => ({ n: r.n + 1, forceRefresh: options.forceRefresh === true })), []);
  const claims = state.error?.claims;
  const signIn = useCallback(async () => {
    try {
      await shell.signIn({ scopes: key.split(" "), ...(claims ? { claims } : {}) });
    } catch (error) {
      setState({ token: null, result: null, error: AuthShellError.from(error), loading: false });
      return;
    }
    refresh();
  }, [shell, key, claims, refresh]);
  return { ...state, refresh, signIn };
}

/** The shell's `authFetch` (a stable function). */
export function useAuthFetch(): (input: string | URL, init?: AuthFetchOptions) => Promise<Response> {
  const { shell } = useShellContext();
  return useCallback((input: string | URL, init?: AuthFetchOptions) => shell.authFetch(input, init), [shell]);
}
