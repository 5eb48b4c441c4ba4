/**
 * Saving the settings when the authority or client ID changes: the accounts signed in under the old
 * ones cannot get tokens for the new app (their refresh tokens belong to the old client / tenant), so
 * they are signed out first — while the broker still runs with the old settings, which end their
 * sessions — and the grants that named the old client ID are moved to the new one (a site allowed
 * "for the configured app" keeps working). The options page says exactly this before the user saves.
 */
import type { ConfigView, ExtensionConfig } from "../protocol/views.js";
import type { AccountView } from "../protocol/views.js";
import type { SavedConfigView } from "../protocol/ui-channel.js";

type SignedInAccount = Pick<AccountView, "homeAccountId" | "username">;

export interface ConfigChangePorts {
  current: () => Promise<ConfigView>;
  /** Throws `config_error` with a sentence per field: called before anything is undone. */
  check: (input: unknown) => { config: ExtensionConfig };
  save: (input: unknown) => Promise<{ view: ConfigView; notes: Record<string, string> }>;
  accounts: () => Promise<SignedInAccount[]>;
  signOut: (account: SignedInAccount) => Promise<unknown>;
  /** Replaces `from` by `to` in every grant's client IDs; answers how many grants changed. */
  moveGrants: (from: string, to: string) => Promise<number>;
  /** The broker rebuilds with the saved settings. */
  reload: () => void;
}

/** The settings that take effect: a policy-set field keeps the policy's value whatever the user sent. */
function effective(before: ConfigView, wanted: ExtensionConfig): ExtensionConfig {
  const pick = <K extends keyof ExtensionConfig>(k: K) => (before.managed.includes(k) ? before[k] : wanted[k]);
  return { authority: pick("authority"), clientId: pick("clientId"), defaultScopes: pick("defaultScopes") };
}

export async function saveWithChange(input: unknown, ports: ConfigChangePorts): Promise<SavedConfigView> {
  const before = await ports.current();
  const after = effective(before, ports.check(input).config);
  const authorityChanged = after.authority !== before.authority;
  const clientChanged = after.clientId !== before.clientId;
  let signedOut = 0;
  if (authorityChanged || clientChanged) {
    for (const account of await ports.accounts()) {
      await ports.signOut(account);
      signedOut++;
    }
  }
  const { view, notes } = await ports.save(input);
  const grantsUpdated = clientChanged && view.clientId !== before.clientId ? await ports.moveGrants(before.clientId, view.clientId) : 0;
  ports.reload();
  return { ...view, notes, signedOut, grantsUpdated };
}
