import { useEffect, useState } from "react";
import { callBroker, errorText } from "../broker-client.js";
import { usePoll } from "./use-poll.js";

/**
 * Host access for the origin, asked first thing in the click handler (permissions.request needs the
 * user gesture). Loopback origins are covered by the manifest's host_permissions and resolve at once;
 * any other site gets Chrome's/Edge's own "allow access to this site" prompt.
 */
async function ensureHostPermission(origin: string): Promise<void> {
  let pattern: string;
  try {
    pattern = `${new URL(origin.trim()).origin}/*`;
  } catch {
    return; // Not a URL: the broker answers with a precise error.
  }
  if (!(await chrome.permissions.request({ origins: [pattern] }))) throw new Error("Site access was not allowed");
}

async function activeTabOrigin(): Promise<string | undefined> {
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  if (!tab?.url || !/^https?:/.test(tab.url)) return undefined;
  return new URL(tab.url).origin;
}

export function GrantsPanel({ offerActiveTab = false }: { offerActiveTab?: boolean }) {
  const grants = usePoll(() => callBroker({ kind: "listGrants" }), 2000);
  const [input, setInput] = useState("");
  const [error, setError] = useState<string>();
  const [tabOrigin, setTabOrigin] = useState<string>();
  useEffect(() => {
    if (offerActiveTab) activeTabOrigin().then(setTabOrigin, () => undefined);
  }, [offerActiveTab]);

  const add = async (origin: string) => {
    setError(undefined);
    try {
      await ensureHostPermission(origin);
      await callBroker({ kind: "addGrant", grant: { origin, clientIds: [] } });
      setInput("");
    } catch (e) {
      setError(errorText(e));
    }
    grants.reload();
  };
  const remove = async (origin: string) => {
    try {
      await callBroker({ kind: "removeGrant", origin });
    } catch (e) {
      setError(errorText(e));
    }
    grants.reload();
  };
  const allowThisSite = async () => {
    if (!tabOrigin) return setError("The active tab is not a web page");
    await add(tabOrigin);
  };

  return (
    <section>
      <h2>Allowed sites</h2>
      {offerActiveTab && (
        <p>
          <button data-testid="grant-allow-site" disabled={!tabOrigin} onClick={() => void allowThisSite()}>
            Allow this site{tabOrigin ? ` (${tabOrigin})` : ""}
          </button>
        </p>
      )}
      <form className="row" onSubmit={(e) => (e.preventDefault(), void add(input))}>
        <input data-testid="grant-origin-input" placeholder="https://app.contoso.com" value={input} onChange={(e) => setInput(e.target.value)} />
        <button data-testid="grant-add" type="submit">Allow</button>
      </form>
      <ul data-testid="grant-list">
        {(grants.value ?? []).map((g) => (
          <li key={g.origin} data-origin={g.origin}>
            <span>
              {g.origin} <span className="muted">{(g.scopes ?? ["(default scopes)"]).join(" ")}</span>
            </span>
            <button data-testid="grant-remove" onClick={() => void remove(g.origin)}>Remove</button>
          </li>
        ))}
        {grants.value?.length === 0 && <li className="muted">No site is allowed yet.</li>}
      </ul>
      {(error ?? grants.error) && <p className="error">{error ?? grants.error}</p>}
    </section>
  );
}
