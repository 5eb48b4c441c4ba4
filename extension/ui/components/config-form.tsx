import { useEffect, useRef, useState } from "react";
import { validateSettings, type SettingsField } from "../../../shared/config/validate-settings.js";
import { AuthShellError } from "../../../shared/errors.js";
import type { ConfigView } from "../../protocol/views.js";
import { t } from "../../i18n/translate.js";
import { callBroker, errorText } from "../broker-client.js";
import { FormField } from "./form-field.js";
import { useFocusRefused } from "./use-focus-refused.js";
import { StatusLine, type PanelMessage } from "./status-line.js";

type Values = Record<SettingsField, string>;
const EMPTY: Values = { authority: "", clientId: "", defaultScopes: "" };
const fromView = (c: ConfigView): Values => ({ authority: c.authority, clientId: c.clientId, defaultScopes: c.defaultScopes.join(" ") });

/** What saving would undo, said before the user saves (the worker does exactly this: config-change.ts). */
function ChangeNotice({ config, values, accounts }: { config: ConfigView; values: Values; accounts: number }) {
  const [grants, setGrants] = useState<{ total: number; naming: number }>();
  const checked = validateSettings(values, t);
  const next = checked.ok ? checked.value : undefined;
  const authorityChanged = next !== undefined && !config.managed.includes("authority") && next.authority !== config.authority;
  const clientChanged = next !== undefined && !config.managed.includes("clientId") && next.clientId !== config.clientId;
  const changed = authorityChanged || clientChanged;
  useEffect(() => {
    if (!changed) return;
    callBroker({ kind: "listGrants" }).then(
      (list) => setGrants({ total: list.length, naming: list.filter((g) => g.clientIds.includes(config.clientId)).length }),
      () => setGrants(undefined),
    );
  }, [changed, config.clientId]);
  if (!next || !changed) return null;
  const what = t(authorityChanged && clientChanged ? "options_what_both" : authorityChanged ? "options_what_authority" : "options_what_client_id");
  const sentences: string[] = [];
  if (accounts > 0) sentences.push(t("options_change_accounts", accounts, what));
  const moved = clientChanged && grants?.naming ? grants.naming : 0;
  if (moved) sentences.push(t("options_change_grants", moved, config.clientId, next.clientId));
  // A new authority alone touches no grant; someone about to be signed out should hear that the sites stay.
  else if (grants?.total) sentences.push(t("options_change_grants_kept", grants.total));
  if (sentences.length === 0) sentences.push(t("options_change_none", what));
  return (
    <p className="notice" data-testid="config-change-notice" id="config-change-notice">
      {sentences.join(" ")}
    </p>
  );
}

export function ConfigForm({ config, accounts, onSaved }: { config: ConfigView | undefined; accounts: number; onSaved: (view: ConfigView) => void }) {
  const [values, setValues] = useState<Values>(EMPTY);
  // Fields the user typed in: the first load (which can take seconds after a browser start) never overwrites them.
  const touched = useRef(new Set<SettingsField>());
  const [errors, setErrors] = useState<Partial<Record<SettingsField, string>>>({});
  const [notes, setNotes] = useState<Partial<Record<SettingsField, string>>>({});
  const [message, setMessage] = useState<PanelMessage>();
  const [busy, setBusy] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const focusRefused = useFocusRefused(form, errors);

  useEffect(() => {
    if (!config) return;
    const loaded = fromView(config);
    setValues((current) => {
      const next = { ...current };
      for (const field of Object.keys(loaded) as SettingsField[]) if (!touched.current.has(field)) next[field] = loaded[field];
      return next;
    });
  }, [config]);

  const set = (field: SettingsField) => (value: string) => {
    touched.current.add(field);
    const next = { ...values, [field]: value };
    setValues(next);
    // After a refused save, a corrected field loses its sentence as soon as it is right.
    if (submitted) {
      const result = validateSettings(next, t);
      setErrors(result.ok ? {} : result.refusals);
    }
  };

  const save = async () => {
    setSubmitted(true);
    setNotes({});
    const local = validateSettings(values, t);
    if (!local.ok) {
      focusRefused();
      setErrors(local.refusals);
      setMessage({ text: t("options_not_saved"), error: true });
      return;
    }
    setErrors({});
    setBusy(true);
    setMessage(undefined); // A second Save must announce its own outcome, not leave the first one's standing.
    try {
      const saved = await callBroker({
        kind: "setConfig",
        config: { authority: values.authority, clientId: values.clientId, defaultScopes: values.defaultScopes },
      });
      touched.current.clear();
      setValues(fromView(saved));
      setNotes(saved.notes as Partial<Record<SettingsField, string>>);
      // Only what happened: an authority-only change moves no grant, and says nothing about grants.
      const outcome = [t("options_saved")];
      if (saved.signedOut) outcome.push(t("options_saved_signed_out", saved.signedOut));
      if (saved.grantsUpdated) outcome.push(t("options_saved_grants_moved", saved.grantsUpdated));
      setMessage({ text: outcome.join(" "), error: false });
      setSubmitted(false);
      onSaved(saved);
    } catch (e) {
      // The worker refuses with the same sentences (policy or a race may differ from the page's view).
      if (e instanceof AuthShellError && e.fields) {
        focusRefused();
        setErrors(e.fields as Partial<Record<SettingsField, string>>);
        setMessage({ text: t("options_not_saved"), error: true });
      } else setMessage({ text: t("options_save_failed", errorText(e)), error: true });
    } finally {
      setBusy(false);
    }
  };
  const locked = (field: SettingsField) => config?.managed.includes(field) ?? false;
  const hint = (field: SettingsField, text?: string) => (locked(field) ? t("options_locked") : text);

  return (
    <section aria-labelledby="idp-heading">
      <h2 id="idp-heading">{t("options_idp_heading")}</h2>
      {!config && (
        <p className="muted" data-testid="config-loading" role="status">
          {t("options_loading")}
        </p>
      )}
      <form ref={form} noValidate onSubmit={(e) => (e.preventDefault(), void save())} aria-busy={!config || busy}>
        <FormField id="config-authority" testId="config-authority" label={t("options_authority_label")} value={values.authority} onValue={set("authority")} error={errors.authority} note={notes.authority} hint={hint("authority", t("options_authority_hint"))} disabled={locked("authority")} />
        <FormField id="config-client-id" testId="config-client-id" label={t("options_client_id_label")} value={values.clientId} onValue={set("clientId")} error={errors.clientId} hint={hint("clientId", t("options_client_id_hint"))} disabled={locked("clientId")} />
        <FormField id="config-scopes" testId="config-scopes" label={t("options_scopes_label")} value={values.defaultScopes} onValue={set("defaultScopes")} error={errors.defaultScopes} hint={hint("defaultScopes")} disabled={locked("defaultScopes")} />
        {config && <ChangeNotice config={config} values={values} accounts={accounts} />}
        <div className="row">
          <button data-testid="config-save" type="submit" disabled={!config || busy}>
            {t("options_save")}
          </button>
          <StatusLine testId="config-message" message={message} inline />
        </div>
      </form>
    </section>
  );
}
