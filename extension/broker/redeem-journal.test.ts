import { describe, expect, it } from "vitest";
import type { HttpClient, HttpRequest } from "../../shared/ports.js";
import { guardRefreshRedemptions, type JournalArea } from "./redeem-journal.js";

function memoryArea(): JournalArea & { data: Record<string, unknown> } {
  const data: Record<string, unknown> = {};
  return {
    data,
    get: async (key) => (key in data ? { [key]: data[key] } : {}),
    set: async (items) => void Object.assign(data, items),
    remove: async (key) => void delete data[key],
  };
}

const refresh = (rt: string): HttpRequest => ({
  url: "https://idp.test/tenant/oauth2/v2.0/token",
  method: "POST",
  body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: rt, client_id: "c" }).toString(),
});

function recordingHttp(): HttpClient & { sent: HttpRequest[]; hang: boolean } {
  const http = {
    sent: [] as HttpRequest[],
    hang: false,
    async send(request: HttpRequest) {
      http.sent.push(request);
      if (http.hang) return new Promise<never>(() => undefined);
      return { status: 200, headers: { get: () => null }, text: async () => "{}" };
    },
  };
  return http;
}

describe("guardRefreshRedemptions", () => {
  it("sends normally and leaves no journal entry behind", async () => {
    const area = memoryArea();
    const http = recordingHttp();
    const guarded = guardRefreshRedemptions(http, area, "worker-1");
    expect((await guarded.send(refresh("RT-1"))).status).toBe(200);
    expect((await guarded.send(refresh("RT-1"))).status).toBe(200);
    expect(http.sent).toHaveLength(2);
    expect(Object.keys(area.data)).toEqual([]);
  });

  it("never re-sends a refresh token whose redemption a killed worker left unfinished", async () => {
    const area = memoryArea();
    const dying = recordingHttp();
    dying.hang = true;
    void guardRefreshRedemptions(dying, area, "worker-1").send(refresh("RT-1"));
    await new Promise((r) => setTimeout(r, 10));
    expect(dying.sent).toHaveLength(1);
    const journal = JSON.stringify(area.data);
    expect(journal).not.toContain("RT-1");

    const next = recordingHttp();
    const guarded = guardRefreshRedemptions(next, area, "worker-2");
    const answer = await guarded.send(refresh("RT-1"));
    expect(answer.status).toBe(400);
    expect(JSON.parse(await answer.text()).error).toBe("invalid_grant");
    expect(next.sent).toHaveLength(0);
    // Another refresh token and other requests go through.
    expect((await guarded.send(refresh("RT-2"))).status).toBe(200);
    expect((await guarded.send({ url: "https://idp.test/x", method: "GET" })).status).toBe(200);
    expect(next.sent).toHaveLength(2);
  });
});
