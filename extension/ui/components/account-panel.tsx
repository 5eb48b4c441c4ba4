import { useState } from "react";
import { callBroker, errorText } from "../broker-client.js";
import type { AccountView } from "../../../shared/protocol/views.js";

export function AccountPanel({ accounts, onChange }: { accounts: AccountView[] | undefined; onChange: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const account = accounts?.[0];
  const act = async (kind: "signIn" | "signOut") => {
    setBusy(true);
    setError(undefined);
    try {
      await callBroker({ kind });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
      onChange();
    }
  };
  return (
    <section>
      <h2>Account</h2>
      <div className="row">
        <span data-testid="account-name" style={{ flex: 1 }}>
          {account ? `${account.name ?? account.username} (${account.username})` : "Not signed in"}
        </span>
        {account ? (
          <button data-testid="sign-out" disabled={busy} onClick={() => void act("signOut")}>Sign out</button>
        ) : (
          <button data-testid="sign-in" disabled={busy} onClick={() => void act("signIn")}>Sign in</button>
        )}
      </div>
      {error && <p className="error">{error}</p>}
    </section>
  );
}
