import { useEffect, useRef, useState } from "react";
import { validateGrant, type GrantField } from "../../../shared/config/validate-settings.js";
import { AuthShellError } from "../../../shared/errors.js";
import type { Grant } from "../../protocol/views.js";
import { t } from "../../i18n/translate.js";
import { callBroker, errorText } from "../broker-client.js";
import { FormField } from "./form-field.js";
import { useFocusRefused } from "./use-focus-refused.js";
import { usePoll } from "./use-poll.js";
import { browser, matchPatternFor } from "../../platform/browser-api.js";
import { StatusLine, type PanelMessage } from "./status-line.js";

type Errors = Partial<Record<GrantField, string>>;

/**
 * Host access for the origin, asked first thing in the click handler (permissions.request needs the
 * user gesture). Loopback origins are covered by the manifest's host_permissions and resolve at once;
 * any other site gets the browser's own "allow access to this site" prompt. Asked per host on
 * Firefox, whose patterns cannot carry a port (with one it prompted even for localhost). Only a validated origin
 * gets here, so Chrome never answers "Invalid value for origin pattern".
 */
async function ensureHostPermission(origin: string): Promise<boolean> {
  return browser.permissions.request({ origins: [matchPatternFor(origin)] });
}

async function activeTabOrigin(): Promise<string | undefined> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  if (!tab?.url || !/^https?:/.test(tab.url)) return undefined;
  return new URL(tab.url).origin;
}

const refusals = (e: unknown): Errors | undefined => (e instanceof AuthShellError && e.fields ? (e.fields as Errors) : undefined);

interface RowProps {
  grant: Grant;
  index: number;
  editable: boolean;
  onSaving: () => void;
  onSaved: (origin: string) => void;
  /** A refused save: the panel's status region says so (the row's sentences alone are not announced). */
  onRefused: (origin: string, sentences: string) => void;
  onRemove: (origin: string) => void;
}

/** One allowed site: its client IDs and scopes, editable; Save and Remove named after the site. */
function GrantRow({ grant, index, editable, onSaving, onSaved, onRefused, onRemove }: RowProps) {
  const [clientIds, setClientIds] = useState(grant.clientIds.join(" "));
  const [scopes, setScopes] = useState((grant.scopes ?? []).join(" "));
  const [errors, setErrors] = useState<Errors>({});
  const form = useRef<HTMLFormElement>(null);
  const focusRefused = useFocusRefused(form, errors);
  const refuse = (fields: Errors) => {
    focusRefused();
    setErrors(fields);
    onRefused(grant.origin, Object.values(fields).join(" "));
  };
  const save = async () => {
    // Clear the panel's message first: an earlier sentence must not read as this save's outcome
    // (and the live region only announces a change).
    onSaving();
    const checked = validateGrant({ origin: grant.origin, clientIds, scopes }, t);
    if (!checked.ok) return refuse(checked.refusals);
    setErrors({});
    try {
      await callBroker({ kind: "addGrant", grant: { origin: grant.origin, clientIds, scopes } });
      onSaved(grant.origin);
    } catch (e) {
      refuse(refusals(e) ?? { clientIds: errorText(e) });
    }
  };
  if (!editable) {
    // The popup (600 px at most) shows what the grant allows; the options page edits it.
    return (
      <li data-origin={grant.origin} data-testid="grant-item">
        <span style={{ overflowWrap: "anywhere", minWidth: 0 }}>
          {grant.origin}{" "}
          <span className="muted">
            <span data-testid="grant-client-ids">{grant.clientIds.join(" ")}</span> · <span data-testid="grant-scopes">{(grant.scopes ?? [t("grants_default_scopes")]).join(" ")}</span>
          </span>
        </span>
        <button type="button" data-testid="grant-remove" aria-label={t("grants_remove", grant.origin)} onClick={() => onRemove(grant.origin)}>
          {t("grants_remove_button")}
        </button>
      </li>
    );
  }
  return (
    <li data-origin={grant.origin} data-testid="grant-item">
      <form ref={form} className="grant" noValidate onSubmit={(e) => (e.preventDefault(), void save())} aria-label={grant.origin}>
        <strong style={{ overflowWrap: "anywhere" }}>{grant.origin}</strong>
        <FormField id={`grant-${index}-client-ids`} testId="grant-client-ids" label={t("grants_client_ids_label")} value={clientIds} onValue={setClientIds} error={errors.clientIds} />
        <FormField id={`grant-${index}-scopes`} testId="grant-scopes" label={t("grants_scopes_label")} value={scopes} onValue={setScopes} error={errors.scopes} placeholder={t("grants_default_scopes")} />
        <div className="row">
          <button type="submit" data-testid="grant-save" aria-label={t("grants_save", grant.origin)}>
            {t("options_save")}
          </button>
          <button type="button" data-testid="grant-remove" aria-label={t("grants_remove", grant.origin)} onClick={() => onRemove(grant.origin)}>
            {t("grants_remove_button")}
          </button>
        </div>
      </form>
    </li>
  );
}

export function GrantsPanel({ offerActiveTab = false }: { offerActiveTab?: boolean }) {
  const grants = usePoll(() => callBroker({ kind: "listGrants" }), 2000);
  const [origin, setOrigin] = useState("");
  const [clientIds, setClientIds] = useState("");
  const [scopes, setScopes] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [message, setMessage] = useState<PanelMessage>();
  const [tabOrigin, setTabOrigin] = useState<string>();
  const originInput = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  // The site being removed and its place in the list, until the list no longer shows it.
  const focusAfterRemove = useRef<{ origin: string; index: number } | undefined>(undefined);
  useEffect(() => {
    if (offerActiveTab) activeTabOrigin().then(setTabOrigin, () => undefined);
  }, [offerActiveTab]);

  // After Remove, focus goes to the next site's Remove button (or the previous one, or the origin field).
  // Only once the removed site is gone from the list: the 2 s poll can land while removeGrant still
  // runs, and focusing then would leave focus on the button about to disappear (so on <body>).
  useEffect(() => {
    const pending = focusAfterRemove.current;
    if (!pending || !grants.value || grants.value.some((g) => g.origin === pending.origin)) return;
    focusAfterRemove.current = undefined;
    const buttons = list.current?.querySelectorAll<HTMLButtonElement>('[data-testid="grant-remove"]') ?? [];
    (buttons[Math.min(pending.index, buttons.length - 1)] ?? originInput.current)?.focus();
  }, [grants.value]);

  const add = async (input: { origin: string; clientIds: string; scopes: string }) => {
    setMessage(undefined);
    const checked = validateGrant(input, t);
    if (!checked.ok) {
      setErrors(checked.refusals);
      setMessage({ text: Object.values(checked.refusals).join(" "), error: true });
      return;
    }
    setErrors({});
    try {
      if (!(await ensureHostPermission(checked.value.origin))) throw new Error(t("grants_access_denied", checked.value.origin));
      await callBroker({ kind: "addGrant", grant: input });
      setOrigin("");
      setClientIds("");
      setScopes("");
      setMessage({ text: t("grants_saved", checked.value.origin), error: false });
    } catch (e) {
      const fields = refusals(e);
      if (fields) setErrors(fields);
      setMessage({ text: fields ? Object.values(fields).join(" ") : t("grants_failed", errorText(e)), error: true });
    }
    grants.reload();
  };
  const remove = async (removed: string) => {
    focusAfterRemove.current = { origin: removed, index: (grants.value ?? []).findIndex((g) => g.origin === removed) };
    try {
      await callBroker({ kind: "removeGrant", origin: removed });
      setMessage({ text: t("grants_removed", removed), error: false });
    } catch (e) {
      // The site stays, and so does focus on its Remove button.
      focusAfterRemove.current = undefined;
      setMessage({ text: t("grants_failed", errorText(e)), error: true });
    }
    grants.reload();
  };
  const allowThisSite = async () => {
    if (!tabOrigin) return setMessage({ text: t("grants_not_web_page"), error: true });
    await add({ origin: tabOrigin, clientIds: "", scopes: "" });
  };

  return (
    <section aria-labelledby="grants-heading">
      <h2 id="grants-heading">{t("grants_heading")}</h2>
      {offerActiveTab && (
        <p>
          <button data-testid="grant-allow-site" disabled={!tabOrigin} onClick={() => void allowThisSite()}>
            {tabOrigin ? t("grants_allow_site_named", tabOrigin) : t("grants_allow_site")}
          </button>
        </p>
      )}
      <form noValidate onSubmit={(e) => (e.preventDefault(), void add({ origin, clientIds, scopes }))}>
        <FormField id="grant-origin" testId="grant-origin-input" inputRef={originInput} label={t("grants_origin_label")} placeholder="https://app.contoso.com" value={origin} onValue={setOrigin} error={errors.origin} />
        {!offerActiveTab && (
          <>
            <FormField id="grant-new-client-ids" testId="grant-new-client-ids" label={t("grants_client_ids_label")} value={clientIds} onValue={setClientIds} error={errors.clientIds} />
            <FormField id="grant-new-scopes" testId="grant-new-scopes" label={t("grants_scopes_label")} value={scopes} onValue={setScopes} error={errors.scopes} />
          </>
        )}
        <button data-testid="grant-add" type="submit" aria-describedby={errors.origin ? "grant-origin-error" : undefined}>
          {t("grants_allow")}
        </button>
      </form>
      <ul data-testid="grant-list" ref={list}>
        {(grants.value ?? []).map((g, i) => (
          // Keyed by the stored grant: the 2 s poll never resets a row the user is editing unless the grant itself changed.
          <GrantRow
            key={`${g.origin} ${JSON.stringify([g.clientIds, g.scopes])}`}
            grant={g}
            index={i}
            editable={!offerActiveTab}
            onSaving={() => setMessage(undefined)}
            onSaved={(o) => (setMessage({ text: t("grants_updated", o), error: false }), grants.reload())}
            onRefused={(o, sentences) => setMessage({ text: t("grants_not_saved", o, sentences), error: true })}
            onRemove={(o) => void remove(o)}
          />
        ))}
        {grants.value?.length === 0 && <li className="muted">{t("grants_none")}</li>}
      </ul>
      <StatusLine testId="grant-message" message={message} fallback={grants.error} />
    </section>
  );
}
