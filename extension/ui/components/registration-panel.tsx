import { useState } from "react";
import type { RegistrationReport } from "../../protocol/ui-channel.js";
import type { ConfigView } from "../../protocol/views.js";
import { t } from "../../i18n/translate.js";
import { callBroker, errorText } from "../broker-client.js";
import { matchPatternFor } from "../../platform/browser-api.js";

/**
 * What to register in Entra (the redirect URI, with a copy button) and "Check registration": a silent
 * flow run by the worker (background/registration-check.ts) whose answer is the change to make.
 */
export function RegistrationPanel({ config }: { config: ConfigView | undefined }) {
  const [copied, setCopied] = useState<string>();
  const [report, setReport] = useState<RegistrationReport | { outcome: "checking" | "failed"; sentence: string }>();

  const copy = async () => {
    if (!config) return;
    try {
      await navigator.clipboard.writeText(config.redirectUri);
      setCopied(t("options_copied"));
    } catch {
      setCopied(t("options_copy_failed"));
    }
  };

  const check = async () => {
    if (!config) return;
    const origin = new URL(config.authority).origin;
    try {
      // Asked first in the click (permissions.request needs the gesture): Entra's error page is read
      // with a fetch, which needs host access to the authority. Already granted = no prompt.
      if (!(await chrome.permissions.request({ origins: [matchPatternFor(origin)] }))) {
        setReport({ outcome: "failed", sentence: t("options_check_access_denied", origin) });
        return;
      }
    } catch (e) {
      setReport({ outcome: "failed", sentence: t("options_check_access_denied", `${origin} (${errorText(e)})`) });
      return;
    }
    setReport({ outcome: "checking", sentence: t("options_checking") });
    try {
      setReport(await callBroker({ kind: "checkRegistration" }));
    } catch (e) {
      setReport({ outcome: "failed", sentence: errorText(e) });
    }
  };

  return (
    <section aria-labelledby="registration-heading">
      <h2 id="registration-heading">{t("options_registration_heading")}</h2>
      <p id="redirect-label">{t("options_redirect_label")}</p>
      <div className="row">
        <code data-testid="redirect-uri" style={{ overflowWrap: "anywhere" }}>
          {config?.redirectUri ?? "…"}
        </code>
        <button type="button" data-testid="redirect-copy" disabled={!config} onClick={() => void copy()}>
          {t("options_copy")}
        </button>
        <span role="status" className="muted">
          {copied ?? ""}
        </span>
      </div>
      <p className="row">
        <button type="button" data-testid="registration-check" disabled={!config || report?.outcome === "checking"} onClick={() => void check()}>
          {t("options_check")}
        </button>
      </p>
      <p role="status" data-testid="registration-result" data-outcome={report?.outcome ?? ""} className={report?.outcome === "problem" || report?.outcome === "failed" ? "error" : undefined}>
        {report?.sentence ?? ""}
      </p>
    </section>
  );
}
