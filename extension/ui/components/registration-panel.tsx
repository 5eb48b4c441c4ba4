import { useState } from "react";
import type { RegistrationReport } from "../../protocol/ui-channel.js";
import type { ConfigView } from "../../protocol/views.js";
import { t } from "../../i18n/translate.js";
import { callBroker, errorText } from "../broker-client.js";
import { browser, currentEngine, matchPatternFor } from "../../platform/browser-api.js";
import { EXTENSION_REDIRECT_URI, FIREFOX_REDIRECT_URI } from "../../../shared/config/extension-ids.js";

/**
 * The redirect URI of the same extension in the other engine: an app registration lists both, so
 * one registration serves Chrome/Edge and Firefox (each engine derives its own from the extension's ID).
 */
function otherEngineRedirect(): { browsers: string; uri: string } {
  return currentEngine() === "firefox"
    ? { browsers: "Chrome / Edge", uri: EXTENSION_REDIRECT_URI }
    : { browsers: "Firefox", uri: FIREFOX_REDIRECT_URI };
}

/**
 * What to register in Entra (the redirect URI, with a copy button) and "Check registration": a silent
 * flow run by the worker (background/registration-check.ts) whose answer is the change to make.
 */
export function RegistrationPanel({ config }: { config: ConfigView | undefined }) {
  const [copied, setCopied] = useState<string>();
  const other = otherEngineRedirect();
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
      if (!(await browser.permissions.request({ origins: [matchPatternFor(origin)] }))) {
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
      <p className="muted">
        {t("options_redirect_other", other.browsers)}{" "}
        <code data-testid="redirect-uri-other" style={{ overflowWrap: "anywhere" }}>
          {other.uri}
        </code>
      </p>
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
