import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createAuthShell, describeError, type AuthShell } from "resilient-token-broker/shell";
import { AuthShellProvider } from "resilient-token-broker/react";
import { App } from "./app.js";
import { readShellConfig } from "./config.js";
import "./styles.css";

const root = createRoot(document.getElementById("root")!);
const config = readShellConfig(window.location);
document.title = config.appName;

async function start(): Promise<AuthShell> {
  const shell = await createAuthShell({ authority: config.authority, clientId: config.clientId, scopes: config.scopes, redirectUri: config.redirectUri });
  // Folded to `false` by the production build, so the hooks module is not even bundled there.
  if (import.meta.env.MODE === "test") (await import("./test-hooks.js")).installTestHooks(shell, config.scopes);
  return shell;
}

root.render(
  <StrictMode>
    <AuthShellProvider
      shell={start()}
      loading={<p className="starting">Starting…</p>}
      errorFallback={(error) => (
        <main>
          <h1>{config.appName}</h1>
          <p className="error" role="alert" data-testid="shell-error">
            {describeError(error)}
          </p>
        </main>
      )}
    >
      <App config={config} />
    </AuthShellProvider>
  </StrictMode>,
);
