/**
 * `resilient-token-broker/playwright`: `test` and `expect` from @playwright/test with an `entra`
 * fixture (an emulator per worker, reset before each test). Filled in by issue 8.
 */
export { test, expect } from "@playwright/test";
