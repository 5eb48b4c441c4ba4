import { describe, expect, it } from "vitest";
import { graphUrlFor, OverageGroups } from "./overage-groups.js";

type Sent = { url: string; init: { method: string; scopes: string[]; headers: Record<string, string>; body: string } };

function setUp(answers: Array<() => Response>) {
  const sent: Sent[] = [];
  const changes: string[] = [];
  const groups = new OverageGroups({
    fetch: async (url, init) => {
      sent.push({ url, init });
      return answers.shift()!();
    },
    graphUrl: "https://graph.microsoft.com",
    scopes: ["User.Read"],
    onChange: (type) => changes.push(type),
  });
  return { groups, sent, changes };
}

const ok = (value: unknown) => () => Response.json({ value });
const graphError = (status: number, code: string) => () => Response.json({ error: { code, message: "x" } }, { status });

describe("groups overage lookup", () => {
  it("asks getMemberObjects once per account, for every caller at once, with securityEnabledOnly", async () => {
    const { groups, sent, changes } = setUp([ok(["g1", "g2"])]);
    const [a, b] = await Promise.all([groups.resolve("acct-1"), groups.resolve("acct-1")]);
    expect(a).toEqual(["g1", "g2"]);
    expect(b).toBe(a);
    expect(await groups.resolve("acct-1")).toBe(a);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toEqual({
      url: "https://graph.microsoft.com/v1.0/me/getMemberObjects",
      init: { method: "POST", scopes: ["User.Read"], headers: { "content-type": "application/json" }, body: '{"securityEnabledOnly":true}' },
    });
    expect(groups.view("acct-1")).toEqual({ resolution: "resolved", groups: ["g1", "g2"] });
    expect(changes).toEqual(["groups.resolving", "groups.resolved"]);
  });

  it("shows the lookup pending while it runs and nothing for another account", async () => {
    const { groups } = setUp([ok([])]);
    const pending = groups.resolve("acct-1");
    expect(groups.view("acct-1")).toEqual({ resolution: "pending", groups: [] });
    expect(groups.view("acct-2")).toBeUndefined();
    await pending;
  });

  it("says in a sentence what a refusal means, keeps the failure, and asks again only when told to", async () => {
    const { groups, sent } = setUp([graphError(403, "Authorization_RequestDenied"), ok(["g1"])]);
    await expect(groups.resolve("acct-1")).rejects.toMatchObject({
      code: "consent_required",
      message: expect.stringMatching(/^Microsoft Graph refused to list your groups \(HTTP 403 Authorization_RequestDenied\); the app needs the User.Read permission/),
    });
    expect(groups.view("acct-1")).toMatchObject({ resolution: "failed", groups: [], error: expect.stringContaining("HTTP 403") });
    expect(groups.started("acct-1")).toBe(true);
    expect(await groups.resolve("acct-1")).toEqual(["g1"]);
    expect(sent).toHaveLength(2);
  });

  it("refuses an answer that is not a list of IDs", async () => {
    const { groups } = setUp([ok([1, 2])]);
    await expect(groups.resolve("acct-1")).rejects.toMatchObject({ code: "invalid_response" });
  });

  it("forgets the answer on clear (sign-out)", async () => {
    const { groups, sent } = setUp([ok(["g1"]), ok(["g2"])]);
    await groups.resolve("acct-1");
    groups.clear();
    expect(groups.started("acct-1")).toBe(false);
    expect(await groups.resolve("acct-1")).toEqual(["g2"]);
    expect(sent).toHaveLength(2);
  });
});

describe("graphUrlFor", () => {
  it.each([
    ["https://login.microsoftonline.com/contoso.com", "https://graph.microsoft.com"],
    ["https://login.microsoftonline.us/tenant", "https://graph.microsoft.us"],
    ["https://login.partner.microsoftonline.cn/tenant", "https://microsoftgraph.chinacloudapi.cn"],
    ["https://localhost:8443/1ff2628e", "https://localhost:8443"],
  ])("%s → %s", (authority, graph) => {
    expect(graphUrlFor(authority)).toBe(graph);
  });
});
