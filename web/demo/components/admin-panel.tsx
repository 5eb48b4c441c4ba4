import type { IdTokenClaimsView } from "resilient-token-broker/shell";

/** Shown only to users whose ID token carries the Admin app role (R8: no UserInfo call). */
export function AdminPanel({ claims }: { claims: IdTokenClaimsView }) {
  return (
    <section className="admin" data-testid="admin-panel">
      <h2>Administration</h2>
      <p>
        You have the Admin role in tenant{" "}
        <span data-testid="admin-tenant" title={claims.tenantId}>
          {claims.tenantDomain ?? claims.tenantId ?? "unknown"}
        </span>
        .
      </p>
      <dl>
        <dt>Roles</dt>
        <dd data-testid="admin-roles">{claims.roles.join(", ")}</dd>
        <dt>Groups</dt>
        <dd>{claims.groupsOverage ? "too many to list in the token" : claims.groups.length}</dd>
      </dl>
    </section>
  );
}
