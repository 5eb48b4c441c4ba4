export interface Profile {
  displayName?: string;
  mail?: string;
  userPrincipalName?: string;
  jobTitle?: string;
  id?: string;
}

/** The signed-in user's profile from GET /v1.0/me (fetched through authFetch). */
export function ProfilePanel({
  profile,
  busy,
  loads,
  onReload,
}: {
  profile: Profile | undefined;
  busy: boolean;
  loads: { seq: number; status: string };
  onReload: () => void;
}) {
  return (
    <section data-testid="profile" data-load-seq={loads.seq} data-load-status={loads.status}>
      <h2>Profile</h2>
      {profile ? (
        <dl>
          <dt>Name</dt>
          <dd data-testid="profile-name">{profile.displayName ?? "—"}</dd>
          <dt>Email</dt>
          <dd data-testid="profile-mail">{profile.mail ?? profile.userPrincipalName ?? "—"}</dd>
          {profile.jobTitle && (
            <>
              <dt>Job title</dt>
              <dd>{profile.jobTitle}</dd>
            </>
          )}
        </dl>
      ) : (
        <p>{busy ? "Loading…" : "Sign in to see your profile."}</p>
      )}
      <p>
        {/* aria-disabled, not disabled: a disabled button drops keyboard focus to <body> mid-load. */}
        <button className="secondary" data-testid="profile-reload" aria-disabled={busy} onClick={busy ? undefined : onReload}>
          Reload profile
        </button>
      </p>
    </section>
  );
}
