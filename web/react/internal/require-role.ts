import { createElement, Fragment, type ReactNode } from "react";
import { useAuthShell } from "./hooks.js";

export interface RequireRoleProps {
  /** An app role value, matched exactly (Entra role values are case-sensitive). */
  role: string;
  /** Rendered when the user lacks the role or is not signed in (default: nothing). */
  fallback?: ReactNode;
  children?: ReactNode;
}

/** Renders `children` only for users whose ID token carries app role `role`. UI only: the API must check too. */
export function RequireRole({ role, fallback = null, children }: RequireRoleProps) {
  const claims = useAuthShell().claims();
  return createElement(Fragment, null, claims?.roles.includes(role) ? children : fallback);
}
