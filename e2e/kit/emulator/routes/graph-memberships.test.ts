import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TestEmulator } from "../control-client.js";
import { CP1_CLAIMS, ORIGIN, signInAndRedeem, startForTest } from "../test-helpers.js";
import { findUser } from "../users.js";

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startForTest();
});
afterAll(() => emu.close());
beforeEach(() => emu.control.reset());

const alex = findUser("alex@contoso.test")!;

function memberObjects(token: string, body: unknown = { securityEnabledOnly: true }) {
  return fetch(`${emu.url}/v1.0/me/getMemberObjects`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", Origin: ORIGIN },
    body: JSON.stringify(body),
  });
}

async function alexToken(claims?: string): Promise<string> {
  return (await signInAndRedeem(emu, { username: "alex@contoso.test", ...(claims ? { claims } : {}) })).tokens.access_token;
}

describe("Graph memberships of the signed-in user", () => {
  it("getMemberObjects answers every group ID of the overage user in one Graph collection", async () => {
    const res = await memberObjects(await alexToken());
    expect(res.status).toBe(200);
    const body = (await res.json()) as { "@odata.context": string; value: string[] };
    expect(body["@odata.context"]).toBe(`${emu.url}/v1.0/$metadata#Collection(Edm.String)`);
    expect(body.value).toEqual(alex.groups);
    expect(body.value).toHaveLength(250);
    const [entry] = await emu.control.requests({ endpoint: "member_objects" });
    expect(entry).toMatchObject({ method: "POST", status: 200, username: "alex@contoso.test" });
  });

  it("getMemberObjects refuses a body without securityEnabledOnly, and a non-JSON body, in Graph's shape", async () => {
    const token = await alexToken();
    const missing = await memberObjects(token, {});
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("Request_BadRequest");
    const text = await fetch(`${emu.url}/v1.0/me/getMemberObjects`, { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: "x" });
    expect(text.status).toBe(415);
  });

  it("transitiveMemberOf pages the groups as directory objects with an absolute nextLink", async () => {
    const token = await alexToken();
    const seen: string[] = [];
    let url: string | undefined = `${emu.url}/v1.0/me/transitiveMemberOf?$top=120`;
    let pages = 0;
    while (url) {
      const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { "@odata.nextLink"?: string; value: Array<{ "@odata.type": string; id: string }> };
      expect(body.value.every((g) => g["@odata.type"] === "#microsoft.graph.group")).toBe(true);
      seen.push(...body.value.map((g) => g.id));
      url = body["@odata.nextLink"];
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(alex.groups);
    const bad = await fetch(`${emu.url}/v1.0/me/transitiveMemberOf?$top=1000`, { headers: { Authorization: `Bearer ${token}` } });
    expect(bad.status).toBe(400);
  });

  it("a `graph` status fault answers every Graph endpoint with Graph's JSON 429 and Retry-After", async () => {
    const token = await alexToken();
    await emu.control.fault({ endpoint: "graph", type: "status", status: 429, retryAfter: 7, count: 2 });
    const throttled = await memberObjects(token);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("7");
    expect(throttled.headers.get("content-type")).toMatch(/^application\/json/);
    expect(((await throttled.json()) as { error: { code: string } }).error.code).toBe("TooManyRequests");
    const me = await fetch(`${emu.url}/v1.0/me`, { headers: { Authorization: `Bearer ${token}` } });
    expect(me.status).toBe(429);
    expect((await memberObjects(token)).status).toBe(200);
  });

  it("a 503 fault on one Graph endpoint leaves the others alone", async () => {
    const token = await alexToken();
    await emu.control.fault({ endpoint: "member_objects", type: "status", status: 503, retryAfter: 3 });
    const unavailable = await memberObjects(token);
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get("retry-after")).toBe("3");
    expect(((await unavailable.json()) as { error: { code: string } }).error.code).toBe("ServiceUnavailable");
    expect((await fetch(`${emu.url}/v1.0/me/transitiveMemberOf`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  it("after revoke, a cp1 token gets the CAE challenge on the membership endpoints too", async () => {
    const token = await alexToken(CP1_CLAIMS);
    await emu.control.revoke("alex@contoso.test");
    const challenged = await memberObjects(token);
    expect(challenged.status).toBe(401);
    expect(challenged.headers.get("www-authenticate")).toMatch(/^Bearer .*error="insufficient_claims", claims="[A-Za-z0-9+/=]+"$/);
  });
});
