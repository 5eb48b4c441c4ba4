import { useEffect, useState } from "react";
import { callBroker, errorText } from "../broker-client.js";
import type { ConfigView } from "../../../shared/protocol/views.js";

export function ConfigForm() {
  const [config, setConfig] = useState<ConfigView>();
  const [authority, setAuthority] = useState("");
  const [clientId, setClientId] = useState("");
  const [scopes, setScopes] = useState("");
  const [message, setMessage] = useState<{ text: string; error: boolean }>();

  const show = (c: ConfigView) => {
    setConfig(c);
    setAuthority(c.authority);
    setClientId(c.clientId);
    setScopes(c.defaultScopes.join(" "));
  };
  useEffect(() => {
    callBroker({ kind: "getConfig" }).then(show, (e: unknown) => setMessage({ text: errorText(e), error: true }));
  }, []);

  const save = async () => {
    try {
      const saved = await callBroker({
        kind: "setConfig",
        config: { authority: authority.trim(), clientId: clientId.trim(), defaultScopes: scopes.split(/[\s,]+/).filter(Boolean) },
      });
      show(saved);
      setMessage({ text: "Saved.", error: false });
    } catch (e) {
      setMessage({ text: errorText(e), error: true });
    }
  };
  const locked = (field: "authority" | "clientId" | "defaultScopes") => config?.managed.includes(field) ?? false;

  return (
    <section>
      <h2>Identity provider</h2>
      <form onSubmit={(e) => (e.preventDefault(), void save())}>
        <label>
          Authority
          <input data-testid="config-authority" value={authority} disabled={locked("authority")} onChange={(e) => setAuthority(e.target.value)} />
        </label>
        <label>
          Client ID
          <input data-testid="config-client-id" value={clientId} disabled={locked("clientId")} onChange={(e) => setClientId(e.target.value)} />
        </label>
        <label>
          Default scopes (space-separated)
          <input data-testid="config-scopes" value={scopes} disabled={locked("defaultScopes")} onChange={(e) => setScopes(e.target.value)} />
        </label>
        <p className="muted">Redirect URI to register (single-page application): {config?.redirectUri}</p>
        <button data-testid="config-save" type="submit">Save</button>
        {message && <span className={message.error ? "error" : "muted"} data-testid="config-message"> {message.text}</span>}
      </form>
    </section>
  );
}
