import { describe, expect, it } from "vitest";
import { AuthShellError } from "../../shared/errors.js";
import { fromAuthShell, fromExtensionBroker } from "./token-source.js";

type Call = { scopes: string[]; claims?: string; forceRefresh?: boolean };

function recordingShell(fail?: AuthShellError) {
  const calls: Call[] = [];
  const shell = {
    getToken: async (request: Call) => {
      calls.push(request);
      if (fail) throw fail;
      return { accessToken: `token-${calls.length}` };
    },
  };
  return { shell, calls };
}

const CHALLENGE = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}';
const MERGED = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"},"xms_cc":{"values":["cp1"]}}}';

describe("Graph token source", () => {
  it("asks for the scopes of the request, from the cache path (no claims, no forced refresh)", async () => {
    const { shell, calls } = recordingShell();
    expect(await fromAuthShell(shell)({ scopes: ["User.Read"] })).toBe("token-1");
    expect(calls).toEqual([{ scopes: ["User.Read"] }]);
  });

  it("decodes a base64 claims challenge (as Kiota passes it), merges cp1 and bypasses the cache", async () => {
    const { shell, calls } = recordingShell();
    await fromAuthShell(shell)({ scopes: ["User.Read"], claims: Buffer.from(CHALLENGE).toString("base64") });
    expect(calls).toEqual([{ scopes: ["User.Read"], claims: MERGED, forceRefresh: true }]);
  });

  it("takes a JSON claims challenge as it is, and the capabilities configured", async () => {
    const { shell, calls } = recordingShell();
    await fromAuthShell(shell, { clientCapabilities: [] })({ scopes: ["User.Read"], claims: CHALLENGE });
    expect(calls[0]!.claims).toBe(CHALLENGE);
  });

  it("refuses a challenge that is neither JSON nor base64 JSON, without asking for a token", async () => {
    const { shell, calls } = recordingShell();
    await expect(fromAuthShell(shell)({ scopes: ["User.Read"], claims: "%%%" })).rejects.toMatchObject({ code: "invalid_request" });
    expect(calls).toEqual([]);
  });

  it("refuses a request without scopes", async () => {
    const { shell } = recordingShell();
    await expect(fromAuthShell(shell)({ scopes: [] })).rejects.toMatchObject({ code: "invalid_request" });
  });

  it("keeps the merged claims on the error when the challenge cannot be answered silently", async () => {
    const { shell } = recordingShell(new AuthShellError("interaction_required", "Sign in again."));
    const failure = await fromAuthShell(shell)({ scopes: ["User.Read"], claims: CHALLENGE }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AuthShellError);
    expect(failure).toMatchObject({ code: "interaction_required", claims: MERGED });
  });

  it("uses an extension broker's acquireToken the same way", async () => {
    const calls: Call[] = [];
    const broker = { acquireToken: async (o: Call) => (calls.push(o), { accessToken: "from-broker" }) };
    expect(await fromExtensionBroker(broker)({ scopes: ["Mail.Read"], claims: CHALLENGE })).toBe("from-broker");
    expect(calls).toEqual([{ scopes: ["Mail.Read"], claims: MERGED, forceRefresh: true }]);
  });
});
