import { createContext, createElement, useEffect, useMemo, useState, type ReactNode } from "react";
import { createAuthShell, describeError, type AuthShell, type AuthShellConfig } from "resilient-token-broker/shell";

export interface ShellContextValue {
  shell: AuthShell;
  /** Bumped on every change the shell reports, so hooks re-read it. */
  version: number;
}

export const ShellContext = createContext<ShellContextValue | null>(null);

export type AuthShellProviderProps = {
  children?: ReactNode;
  /** Shown while the shell starts (default: nothing). */
  loading?: ReactNode;
  /** Shown when the shell cannot start (default: the error's plain-language sentence, role="alert"). */
  errorFallback?: (error: unknown) => ReactNode;
} & ({ config: AuthShellConfig; shell?: never } | { shell: AuthShell | Promise<AuthShell>; config?: never });

/**
 * Starts the shell from `config` (once per mount; pass a memoised or module-level object), or takes
 * a `shell` you created with `createAuthShell`, and renders `children` once it is ready.
 */
export function AuthShellProvider(props: AuthShellProviderProps) {
  const [state, setState] = useState<{ shell?: AuthShell; error?: unknown }>(() =>
    props.shell && !(props.shell instanceof Promise) ? { shell: props.shell } : {},
  );
  const source = props.shell ?? props.config;
  useEffect(() => {
    if (props.shell && !(props.shell instanceof Promise)) {
      setState({ shell: props.shell });
      return;
    }
    let live = true;
    const started = props.shell ?? createAuthShell(props.config!);
    started.then(
      (shell) => live && setState({ shell }),
      (error: unknown) => live && setState({ error }),
    );
    return () => {
      live = false;
    };
    // Restart only when the caller passes a different config or shell object.
  }, [source]);

  const [version, setVersion] = useState(0);
  const shell = state.shell;
  useEffect(() => (shell ? shell.subscribe(() => setVersion((v) => v + 1)) : undefined), [shell]);
  const value = useMemo(() => (shell ? { shell, version } : null), [shell, version]);

  if (state.error !== undefined) {
    return props.errorFallback ? createElement("div", null, props.errorFallback(state.error)) : createElement("p", { role: "alert", "data-testid": "shell-start-error" }, describeError(state.error));
  }
  if (!value) return createElement("div", null, props.loading ?? null);
  return createElement(ShellContext.Provider, { value }, props.children);
}
