import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app";
import { readShellConfig } from "./config";
import { ShellAuth } from "./auth/shell-auth";
import { createSystemClock } from "../../shared/platform/system-clock";
import { createFetchHttpClient } from "../../shared/platform/fetch-http-client";
import { pageRandom } from "./platform/web-random";
import { LocalStorageStore } from "./platform/local-storage-store";
import { createWebLocksLock } from "./platform/web-locks-lock";
import { IndexedDbStore } from "./platform/indexed-db-store";
import { describeError } from "./auth/error-text";
import { AuthShellError } from "../../shared/errors";
import { installTestHooks } from "./test-hooks";
import "./styles.css";

const root = createRoot(document.getElementById("root")!);
const config = readShellConfig(window.location);
document.title = config.appName;

IndexedDbStore.open()
  // Without IndexedDB (rare) tabs still share records, only without the ordering guarantee.
  .catch(() => new LocalStorageStore(window.localStorage, "authshell-records:"))
  .then((records) =>
    ShellAuth.create(config, {
      clock: createSystemClock(),
      http: createFetchHttpClient(),
      random: pageRandom,
      store: new LocalStorageStore(window.localStorage),
      lock: createWebLocksLock(),
      records,
    }),
  )
  .then((shell) => {
    installTestHooks(shell, new URLSearchParams(window.location.search).get("test") === "1");
    root.render(
      <StrictMode>
        <App shell={shell} />
      </StrictMode>,
    );
  })
  .catch((error: unknown) => {
    root.render(<p data-testid="shell-error">{describeError(AuthShellError.from(error, "config_error"))}</p>);
  });
