/**
 * The signed-in accounts (popup and options page): one item per account, the active one marked
 * (`aria-current`, `data-active`, a visible "Active"), Switch on the others, Sign out on each, and
 * "Add another account" (the sign-in window with prompt=select_account). An account whose sign-in
 * ended (the IdP answered "no session": sessions revoked, signed out elsewhere) says "Sign-in needed"
 * instead of "Active" (`data-needs-sign-in`) and offers "Sign in again" (the window for that
 * account). After an action focus goes to the account it made active, or to the list's heading —
 * never to <body> — and the outcome is announced (errors in role="alert", the rest in role="status").
 */
import { useEffect, useRef, useState } from "react";
import { t } from "../../i18n/translate.js";
import { accountsNeedingSignIn } from "../../protocol/status-summary.js";
import type { AccountView, StatusView } from "../../protocol/views.js";
import { callBroker, errorText } from "../broker-client.js";
import "./account-list.css";

/** Where focus goes once the list shows the result of an action. */
type FocusTarget = { kind: "item"; homeAccountId: string } | { kind: "heading" };

function displayName(a: AccountView): string {
  return a.name ?? a.username;
}

const NOBODY: ReadonlySet<string> = new Set();

/** The accounts of a status whose sign-in ended, for AccountList's `needsSignIn`. */
export function endedSignIns(status: StatusView | undefined): ReadonlySet<string> {
  return status ? new Set(accountsNeedingSignIn(status).keys()) : NOBODY;
}

export function AccountList({
  accounts,
  needsSignIn = NOBODY,
  onChange,
}: {
  accounts: AccountView[] | undefined;
  /** homeAccountIds whose sign-in ended (accountsNeedingSignIn in shared/protocol/status-summary.ts). */
  needsSignIn?: ReadonlySet<string>;
  onChange: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [focusTarget, setFocusTarget] = useState<FocusTarget>();
  const heading = useRef<HTMLHeadingElement>(null);
  const list = useRef<HTMLUListElement>(null);

  // The target item appears only after the status poll brings the new list: focus it then.
  useEffect(() => {
    if (!focusTarget) return;
    if (focusTarget.kind === "heading") {
      heading.current?.focus();
      setFocusTarget(undefined);
      return;
    }
    const item = [...(list.current?.querySelectorAll<HTMLElement>("li[data-home-account-id]") ?? [])].find(
      (li) => li.dataset.homeAccountId === focusTarget.homeAccountId,
    );
    if (item) {
      item.focus();
      setFocusTarget(undefined);
    }
  }, [focusTarget, accounts]);

  /** Runs one action; while it runs the buttons stay focusable (aria-disabled) so focus never drops to <body>. */
  const run = async (action: () => Promise<{ notice: string; focus: FocusTarget }>) => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      const done = await action();
      setNotice(done.notice);
      setFocusTarget(done.focus);
    } catch (e) {
      setError(t("accounts_failed", errorText(e)));
    } finally {
      setBusy(false);
      onChange();
    }
  };

  const signIn = (addAccount: boolean) =>
    run(async () => {
      const account = await callBroker(addAccount ? { kind: "signIn", addAccount: true } : { kind: "signIn" });
      return { notice: t("accounts_now_active", displayName(account)), focus: { kind: "item", homeAccountId: account.homeAccountId } };
    });
  // Straight to the sign-in window for this account: its cached token must not answer for the person.
  const signInAgain = (a: AccountView) =>
    run(async () => {
      const account = await callBroker({ kind: "signIn", loginHint: a.username, again: true });
      return { notice: t("accounts_signed_in_again", displayName(account)), focus: { kind: "item", homeAccountId: account.homeAccountId } };
    });
  const switchTo = (a: AccountView) =>
    run(async () => {
      await callBroker({ kind: "switchAccount", homeAccountId: a.homeAccountId });
      return { notice: t("accounts_now_active", displayName(a)), focus: { kind: "item", homeAccountId: a.homeAccountId } };
    });
  const signOut = (a: AccountView) =>
    run(async () => {
      await callBroker({ kind: "signOut", homeAccountId: a.homeAccountId });
      return { notice: t("accounts_signed_out", displayName(a)), focus: { kind: "heading" } };
    });

  const items = accounts ?? [];
  return (
    <section aria-labelledby="account-list-heading" aria-busy={busy}>
      <h2 id="account-list-heading" className="account-heading" ref={heading} tabIndex={-1}>
        {t("accounts_heading")}
      </h2>
      {items.length === 0 ? (
        <div className="row">
          <span data-testid="account-name" style={{ flex: 1 }}>
            {t("accounts_not_signed_in")}
          </span>
          <button data-testid="sign-in" aria-disabled={busy} onClick={() => void signIn(false)}>
            {t("accounts_sign_in")}
          </button>
        </div>
      ) : (
        <>
          <ul data-testid="account-list" className="account-list" ref={list}>
            {items.map((a) => (
              <AccountItem
                key={a.homeAccountId}
                account={a}
                ended={needsSignIn.has(a.homeAccountId)}
                busy={busy}
                onSignInAgain={() => void signInAgain(a)}
                onSwitch={() => void switchTo(a)}
                onSignOut={() => void signOut(a)}
              />
            ))}
          </ul>
          <p>
            <button data-testid="account-add" aria-disabled={busy} onClick={() => void signIn(true)}>
              {t("accounts_add")}
            </button>
          </p>
        </>
      )}
      <p role="status" data-testid="account-status" className="muted">
        {busy ? t("accounts_busy") : notice}
      </p>
      <p role="alert" data-testid="account-error" className={error ? "error" : undefined}>
        {error}
      </p>
    </section>
  );
}

interface AccountItemProps {
  account: AccountView;
  /** Its sign-in ended: "Sign-in needed" replaces "Active", and Sign in again is offered. */
  ended: boolean;
  busy: boolean;
  onSignInAgain: () => void;
  onSwitch: () => void;
  onSignOut: () => void;
}

function AccountItem({ account: a, ended, busy, onSignInAgain, onSwitch, onSignOut }: AccountItemProps) {
  const name = displayName(a);
  const label = `${name} (${a.username})`;
  return (
    <li
      data-testid="account-item"
      data-home-account-id={a.homeAccountId}
      data-active={a.active ? "true" : "false"}
      data-needs-sign-in={ended ? "true" : "false"}
      aria-current={a.active ? "true" : undefined}
      tabIndex={-1}
    >
      <div className="account-who" {...(a.active ? { "data-testid": "account-name" } : {})}>
        <span className="account-display" title={name}>
          {name}
          {ended ? (
            <span className="account-badge account-badge-ended">{t("accounts_needs_sign_in")}</span>
          ) : (
            a.active && <span className="account-badge">{t("accounts_active")}</span>
          )}
        </span>
        <span title={a.username}>{a.username}</span>
        <span className="muted" title={a.tenantId}>
          {t("accounts_tenant", a.tenantId)}
        </span>
        {ended ? <span className="account-ended-hint">{t("accounts_needs_sign_in_hint")}</span> : a.active && <span className="muted">{t("accounts_active_hint")}</span>}
      </div>
      <span className="account-actions">
        {ended && (
          <button data-testid="account-sign-in-again" aria-label={t("accounts_sign_in_again_label", label)} aria-disabled={busy} onClick={onSignInAgain}>
            {t("accounts_sign_in_again")}
          </button>
        )}
        {!a.active && (
          <button data-testid="account-switch" aria-label={t("accounts_switch_label", label)} aria-disabled={busy} onClick={onSwitch}>
            {t("accounts_switch")}
          </button>
        )}
        <button
          data-testid={a.active ? "sign-out" : "account-sign-out"}
          aria-label={t("accounts_sign_out_label", label)}
          aria-disabled={busy}
          onClick={onSignOut}
        >
          {t("accounts_sign_out")}
        </button>
      </span>
    </li>
  );
}
