/** The user belongs to more groups than fit in a token (`_claim_names` / `hasgroups`). */
export function OverageNotice() {
  return (
    <section className="notice wide" data-testid="groups-overage">
      You belong to more groups than fit in your sign-in token, so group-based features use your roles only. If
      something you expect is missing, ask your administrator to assign you an app role instead of a group.
    </section>
  );
}
