import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { importJWK, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestEmulator } from "./control-client.js";
import { expectEntraErrorShape, signInAndRedeem, startForTest } from "./test-helpers.js";

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startForTest();
});
afterAll(() => emu.close());

describe("discovery", () => {
  it("publishes Entra's OpenID configuration for the tenant", async () => {
    const res = await fetch(`${emu.authority}/v2.0/.well-known/openid-configuration`);
    const doc = (await res.json()) as Record<string, string>;
    expect(doc).toMatchObject({
      issuer: `${emu.url}/${emu.tenant}/v2.0`,
      authorization_endpoint: `${emu.authority}/oauth2/v2.0/authorize`,
      token_endpoint: `${emu.authority}/oauth2/v2.0/token`,
      end_session_endpoint: `${emu.authority}/oauth2/v2.0/logout`,
      jwks_uri: `${emu.authority}/discovery/v2.0/keys`,
    });
    const common = (await (await fetch(`${emu.url}/common/v2.0/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(common.issuer).toBe(`${emu.url}/{tenantid}/v2.0`);
    const unknown = await fetch(`${emu.url}/not-a-tenant/v2.0/.well-known/openid-configuration`);
    expect(unknown.status).toBe(400);
    expectEntraErrorShape((await unknown.json()) as Record<string, unknown>);
  });

  it("answers instance discovery in the shape MSAL expects", async () => {
    const host = new URL(emu.url).host;
    const res = await fetch(`${emu.url}/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(`${emu.authority}/oauth2/v2.0/authorize`)}`);
    expect(await res.json()).toEqual({
      tenant_discovery_endpoint: `${emu.authority}/v2.0/.well-known/openid-configuration`,
      "api-version": "1.1",
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  });

  it("signs tokens with the RS256 key published in the JWKS under its kid", async () => {
    const { keys } = (await (await fetch(`${emu.authority}/discovery/v2.0/keys`)).json()) as { keys: Array<Record<string, string>> };
    expect(keys).toHaveLength(1);
    const jwk = keys[0]!;
    expect(jwk).toMatchObject({ kty: "RSA", use: "sig", alg: "RS256" });
    const { tokens } = await signInAndRedeem(emu);
    const verified = await jwtVerify(tokens.id_token, await importJWK(jwk, "RS256"), { issuer: `${emu.url}/${emu.tenant}/v2.0`, audience: emu.clientId });
    expect(verified.protectedHeader.kid).toBe(jwk.kid);
  });

  it("answers unknown routes with a 404 in Entra's shape", async () => {
    const res = await fetch(`${emu.url}/nothing/here`);
    expect(res.status).toBe(404);
    expectEntraErrorShape((await res.json()) as Record<string, unknown>);
  });
});

describe("command line", () => {
  it("prints the JSON start line first and exits cleanly on SIGTERM", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "e2e/kit/emulator/cli.ts", "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    const lines = createInterface({ input: child.stdout! });
    const first = await new Promise<string>((resolve) => lines.once("line", resolve));
    const start = JSON.parse(first) as { url: string; tenant: string; clientId: string };
    expect(start.url).toMatch(/^https:\/\/localhost:\d+$/);
    expect(start.tenant).toBe(emu.tenant);
    expect(start.clientId).toBe(emu.clientId);
    expect((await fetch(`${start.url}/${start.tenant}/discovery/v2.0/keys`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
