import type { IdTokenClaimsView } from "resilient-token-broker/shell";

/**
 * The user belongs to more groups than fit in a token (`_claim_names` / `hasgroups`): the shell reads
 * them from Microsoft Graph once per session; this says where that stands.
 */
export function OverageNotice({ claims }: { claims: IdTokenClaimsView }) {
  const text =
    claims.groupsResolution === "resolved"
      ? `You belong to more groups than fit in your sign-in token; ${claims.groups.length} were read from Microsoft Graph for this session.`
      : claims.groupsResolution === "failed"
        ? `You belong to more groups than fit in your sign-in token, and reading them failed: ${claims.groupsError ?? "no reason given."}`
        : "You belong to more groups than fit in your sign-in token; reading them from Microsoft Graph…";
  return (
    <section className="notice wide" data-testid="groups-overage" data-resolution={claims.groupsResolution ?? "pending"}>
      {text}
    </section>
  );
}
