import { createElement, Fragment, type ReactNode } from "react";
import { useAuthShell } from "./hooks.js";

export interface RequireGroupProps {
  /** A group's object ID (compared case-insensitively). */
  group: string;
  /** Rendered when the user is not in the group, is not signed in, or the groups could not be read (default: nothing). */
  fallback?: ReactNode;
  /** Rendered while the shell reads an overage user's groups from Microsoft Graph (default: `fallback`). */
  pending?: ReactNode;
  children?: ReactNode;
}

/**
 * Renders `children` only for members of `group`: from the ID token's `groups`, or under groups
 * overage from the shell's one Microsoft Graph lookup. UI only: the API must check too.
 */
export function RequireGroup({ group, fallback = null, pending, children }: RequireGroupProps) {
  const claims = useAuthShell().claims();
  if (claims?.groupsResolution === "pending") return createElement(Fragment, null, pending === undefined ? fallback : pending);
  const wanted = group.toLowerCase();
  const member = claims?.groups.some((g) => g.toLowerCase() === wanted) === true;
  return createElement(Fragment, null, member ? children : fallback);
}
