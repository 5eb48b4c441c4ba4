import type { IdentityClaims } from "../../../shared/claims/id-token-claims";

/** Shown only to users whose ID token carries the Admin app role (R8: no UserInfo call). */
export function AdminPanel({ identity }: { identity: IdentityClaims }) {
  return (
    <section className="admin" data-testid="admin-panel">
      <h2>Administration</h2>
      <p>You have the Admin role in tenant {identity.tenantId}.</p>
      <dl>
        <dt>Roles</dt>
        <dd data-testid="admin-roles">{identity.roles.join(", ")}</dd>
        <dt>Groups</dt>
        <dd>{identity.groupsOverage ? "too many to list in the token" : identity.groups.length}</dd>
      </dl>
    </section>
  );
}
