/**
 * `resilient-token-broker-testkit/playwright`: `test` and `expect` from @playwright/test with an `entra`
 * fixture: one emulator per worker, reset before each test, so a team writes
 * `test("survives a 429", async ({ page, entra }) => { … })` for its own MSAL app.
 */
import { test as base, expect, type Page } from "@playwright/test";
import { startEmulator, type Emulator, type EmulatorControl, type EmulatorOptions } from "../emulator/index.js";

export { expect };
export type { Emulator, EmulatorControl, EmulatorOptions };
export type * from "../emulator/index.js";

/** The emulator's users (all with the password below). */
export const EMULATOR_USERS = ["adele@contoso.test", "alex@contoso.test"] as const;
export const EMULATOR_PASSWORD = "Passw0rd!";

export interface SignInOptions {
  /** Default `adele@contoso.test`. */
  username?: string;
  /** Default the emulator users' password. */
  password?: string;
  /** How long to wait for the login form to appear (ms). Default 15 s. */
  timeoutMs?: number;
}

export interface EntraFixture {
  url: string;
  tenant: string;
  clientId: string;
  authority: string;
  control: EmulatorControl;
  /**
   * Completes the emulator's login form on `page`, or on the popup of `page`'s context showing it
   * (MSAL's loginPopup), and submits it. Resolves once the form is submitted.
   */
  signIn(page: Page, options?: SignInOptions): Promise<void>;
}

interface WorkerFixtures {
  /** Options for the worker's emulator (`test.use({ entraOptions: { … } })` in a file's workers). */
  entraOptions: EmulatorOptions;
  entraEmulator: Emulator;
}

const FORM = 'input[name="username"]';

/** The page (the given one or another in its context) that shows the emulator's login form. */
async function findLoginPage(page: Page, emulatorUrl: string, timeoutMs: number): Promise<Page> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const candidate of [page, ...page.context().pages()]) {
      if (candidate.isClosed() || !candidate.url().startsWith(emulatorUrl)) continue;
      if ((await candidate.locator(FORM).count().catch(() => 0)) > 0) return candidate;
    }
    if (Date.now() > deadline) throw new Error(`entra.signIn: no page showed the emulator's login form (${emulatorUrl}) within ${timeoutMs} ms`);
    await page.context().waitForEvent("page", { timeout: 100 }).catch(() => undefined);
  }
}

async function signIn(emulator: Emulator, page: Page, options: SignInOptions = {}): Promise<void> {
  const target = await findLoginPage(page, emulator.url, options.timeoutMs ?? 15_000);
  await target.locator(FORM).fill(options.username ?? EMULATOR_USERS[0]);
  await target.locator('input[name="password"]').fill(options.password ?? EMULATOR_PASSWORD);
  // The submit redirects to the app; MSAL may close a popup right away, which is success too.
  await target.locator('button[type="submit"]').click().catch((error: unknown) => {
    if (!target.isClosed()) throw error;
  });
}

export const test = base.extend<{ entra: EntraFixture }, WorkerFixtures>({
  entraOptions: [{}, { scope: "worker", option: true }],
  entraEmulator: [
    async ({ entraOptions }, use) => {
      const emulator = await startEmulator(entraOptions);
      await use(emulator);
      await emulator.close();
    },
    { scope: "worker" },
  ],
  // The emulator's certificate is self-signed and made at start.
  ignoreHTTPSErrors: true,
  entra: async ({ entraEmulator }, use) => {
    await entraEmulator.control.reset();
    await use({
      url: entraEmulator.url,
      tenant: entraEmulator.tenant,
      clientId: entraEmulator.clientId,
      authority: entraEmulator.authority,
      control: entraEmulator.control,
      signIn: (page, options) => signIn(entraEmulator, page, options),
    });
  },
});
