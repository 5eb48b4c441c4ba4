/**
 * Types for every consumer (issue 19): a TypeScript project outside the repository installs both packed
 * tarballs and type-checks code that uses every entry point, with its own `tsc --noEmit`, strict and
 * `skipLibCheck: false`, under moduleResolution `nodenext` (Node libraries, `@tsconfig/node20`) and
 * `bundler` (apps). Each file also holds `@ts-expect-error` lines on wrong calls: if an entry's types
 * failed to resolve (and so became `any`), those lines would be unused and tsc would fail (TS2578).
 */
import { expect, test } from "@playwright/test";
import { createConsumerProject, sameVersionAs, typecheckConsumer, type ConsumerProject } from "../support/consumer-project.js";

test.describe.configure({ mode: "serial" });

const SHELL = `
import { AuthShellError, completePopupSignIn, createAuthShell, describeError, ERROR_CODES, type AuthShell, type ErrorCode } from "resilient-token-broker/shell";

export async function start(button: HTMLButtonElement): Promise<AuthShell> {
  const shell = await createAuthShell({ authority: "https://login.microsoftonline.com/contoso.onmicrosoft.com", clientId: "00000000-0000-0000-0000-000000000000" });
  const mode: "extension" | "standalone" = shell.mode;
  button.onclick = () => void shell.signIn().catch((error: unknown) => console.error(mode, describeError(error)));
  const result = await shell.getToken({ scopes: ["User.Read"] });
  const token: string = result.accessToken;
  const response: Response = await shell.authFetch("https://graph.microsoft.com/v1.0/me", { scopes: ["User.Read"] });
  const codes: readonly ErrorCode[] = ERROR_CODES;
  if (new AuthShellError("throttled", "Too many requests").retryable) console.info(token.length, response.status, codes.length);
  // @ts-expect-error getToken needs a request with scopes
  await shell.getToken();
  return shell;
}
export const redirect: () => Promise<void> = completePopupSignIn;
`;

const REACT = `
import { AuthShellProvider, RequireRole, useAccessToken, useAuthFetch, type AuthShellConfig } from "resilient-token-broker/react";

const config: AuthShellConfig = { authority: "https://login.microsoftonline.com/common", clientId: "00000000-0000-0000-0000-000000000000", scopes: ["User.Read"] };

function Profile() {
  const { token, error, loading, signIn } = useAccessToken(["User.Read"]);
  const authFetch = useAuthFetch();
  if (loading) return <p>Loading…</p>;
  if (!token) return <button data-code={error?.code} onClick={() => void signIn()}>Sign in</button>;
  return <button onClick={() => void authFetch("/api/me")}>Load</button>;
}

export const App = () => (
  <AuthShellProvider config={config}>
    <RequireRole role="Admin" fallback={<p>No access</p>}><Profile /></RequireRole>
  </AuthShellProvider>
);
// @ts-expect-error the provider needs a config or a shell
export const Broken = () => <AuthShellProvider><Profile /></AuthShellProvider>;
`;

const EXTENSION_BROKER = `
import { AuthShellError, createExtensionBroker, matchPatternFor, type TokenResult } from "resilient-token-broker/extension-broker";

const broker = createExtensionBroker({ authority: "https://login.microsoftonline.com/common", clientId: "00000000-0000-0000-0000-000000000000", scopes: ["User.Read"] });
export async function token(): Promise<string> {
  const result: TokenResult = await broker.acquireToken({ scopes: ["User.Read"] });
  return result.accessToken;
}
export const unsubscribe: () => void = broker.subscribe((event) => console.info(event.type));
export const pattern: string = matchPatternFor("https://app.example");
export const isError = (e: unknown): e is AuthShellError => e instanceof AuthShellError;
// @ts-expect-error acquireToken needs options with scopes
void broker.acquireToken();
`;

const EMULATOR = `
import { startEmulator, type RequestLogEntry } from "resilient-token-broker-testkit/emulator";

export async function run(): Promise<RequestLogEntry[]> {
  const emulator = await startEmulator({ port: 0 });
  await emulator.control.fault({ endpoint: "token", type: "status", status: 429, count: 1 });
  const log = await emulator.control.requests({ endpoint: "token" });
  await emulator.close();
  // @ts-expect-error the emulator's URL is a string
  const port: number = emulator.url;
  return port ? log : [];
}
`;

const PLAYWRIGHT = `
import { EMULATOR_PASSWORD, EMULATOR_USERS, expect, test, type EntraFixture, type SignInOptions } from "resilient-token-broker-testkit/playwright";

const as: SignInOptions = { username: EMULATOR_USERS[1], password: EMULATOR_PASSWORD };
test("signs in", async ({ page, entra }) => {
  const fixture: EntraFixture = entra;
  await page.goto("http://localhost:5173/?authority=" + encodeURIComponent(fixture.authority));
  await entra.signIn(page, as);
  expect((await entra.control.requests()).length).toBeGreaterThan(0);
  // @ts-expect-error signIn needs the page
  await entra.signIn();
});
`;

let project: ConsumerProject;

test.beforeAll(() => {
  test.setTimeout(600_000);
  project = createConsumerProject({
    name: "types",
    packages: ["resilient-token-broker", "resilient-token-broker-testkit"],
    dependencies: {
      typescript: sameVersionAs("typescript"),
      "@azure/msal-browser": sameVersionAs("@azure/msal-browser"),
      react: sameVersionAs("react"),
      "react-dom": sameVersionAs("react-dom"),
      "@types/react": sameVersionAs("@types/react"),
      "@types/chrome": sameVersionAs("@types/chrome"),
      "@types/node": sameVersionAs("@types/node"),
      "@playwright/test": sameVersionAs("@playwright/test"),
    },
    files: {
      "src/shell.ts": SHELL,
      "src/react.tsx": REACT,
      "src/extension-broker.ts": EXTENSION_BROKER,
      "test/emulator.ts": EMULATOR,
      "test/playwright.ts": PLAYWRIGHT,
    },
  });
});
test.afterAll(() => project?.remove());

for (const resolution of ["nodenext", "bundler"] as const) {
  test(`browser entries (/shell, /react, /extension-broker) type-check under moduleResolution ${resolution}`, () => {
    expect(() => typecheckConsumer(project, { resolution, include: ["src"], types: ["chrome"], jsx: true })).not.toThrow();
  });

  test(`testkit entries (/emulator, /playwright) type-check under moduleResolution ${resolution}`, () => {
    expect(() => typecheckConsumer(project, { resolution, include: ["test"], types: ["node"] })).not.toThrow();
  });
}
