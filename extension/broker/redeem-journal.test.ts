import { describe, expect, it } from "vitest";
import type { HttpClient, HttpRequest } from "../../shared/ports.js";
import { IN_DOUBT_RESENDS, guardRefreshRedemptions, type JournalArea } from "./redeem-journal.js";
import { FakeClock } from "../../e2e/support/unit/fake-clock.js";

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

function recordingHttp(): HttpClient & { sent: HttpRequest[]; hang: boolean; reached: Promise<void> } {
  let markReached: () => void = () => undefined;
  const http = {
    sent: [] as HttpRequest[],
    hang: false,
    // Resolves once the first request reached the network: a "kill" happens after that, no sleeps.
    reached: new Promise<void>((resolve) => (markReached = resolve)),
    async send(request: HttpRequest) {
      http.sent.push(request);
      markReached();
      if (http.hang) return new Promise<never>(() => undefined);
      return { status: 200, headers: { get: () => null }, text: async () => "{}" };
    },
  };
  return http;
}

/** A worker that sends `rt` and is killed while the request is at the IdP (its send never settles). */
async function killedMidRedemption(area: JournalArea, workerId: string, rt: string, clock = new FakeClock()): Promise<HttpRequest[]> {
  const dying = recordingHttp();
  dying.hang = true;
  const pending = guardRefreshRedemptions(dying, area, workerId, clock).send(refresh(rt));
  // A send refused locally settles without reaching the network: the caller's assertions see that.
  await Promise.race([dying.reached, pending.then(() => undefined)]);
  return dying.sent;
}

describe("guardRefreshRedemptions", () => {
  it("sends normally and leaves no journal entry behind", async () => {
    const area = memoryArea();
    const http = recordingHttp();
    const guarded = guardRefreshRedemptions(http, area, "worker-1", new FakeClock());
    expect((await guarded.send(refresh("RT-1"))).status).toBe(200);
    expect((await guarded.send(refresh("RT-1"))).status).toBe(200);
    expect(http.sent).toHaveLength(2);
    expect(Object.keys(area.data)).toEqual([]);
  });

  it(`resends a redemption killed workers left in doubt ${IN_DOUBT_RESENDS} times, then refuses`, async () => {
    const area = memoryArea();
    expect(await killedMidRedemption(area, "worker-1", "RT-1")).toHaveLength(1);
    expect(JSON.stringify(area.data)).not.toContain("RT-1"); // A hash is journalled, never the token.

    // The next two workers are killed too while resending (a double death, then a third): each
    // resend went to the network once.
    for (const worker of ["worker-2", "worker-3"]) {
      const resent = await killedMidRedemption(area, worker, "RT-1");
      expect(resent).toHaveLength(1);
      expect(new URLSearchParams(resent[0]!.body).get("refresh_token")).toBe("RT-1");
    }

    // A third in-doubt resend is refused locally: invalid_grant, nothing sent, the entry is gone.
    const next = recordingHttp();
    const guarded = guardRefreshRedemptions(next, area, "worker-4", new FakeClock());
    const answer = await guarded.send(refresh("RT-1"));
    expect(answer.status).toBe(400);
    expect(JSON.parse(await answer.text()).error).toBe("invalid_grant");
    expect(next.sent).toHaveLength(0);
    expect(Object.keys(area.data)).toEqual([]);
    // Another refresh token and other requests go through.
    expect((await guarded.send(refresh("RT-2"))).status).toBe(200);
    expect((await guarded.send({ url: "https://idp.test/x", method: "GET" })).status).toBe(200);
    expect(next.sent).toHaveLength(2);
  });

  it("a resend that gets an answer clears the journal: a later kill earns its own resend", async () => {
    const area = memoryArea();
    await killedMidRedemption(area, "worker-1", "RT-1");
    const recovering = recordingHttp();
    expect((await guardRefreshRedemptions(recovering, area, "worker-2", new FakeClock()).send(refresh("RT-1"))).status).toBe(200);
    expect(recovering.sent).toHaveLength(1);
    expect(Object.keys(area.data)).toEqual([]);

    await killedMidRedemption(area, "worker-2", "RT-1");
    const again = recordingHttp();
    expect((await guardRefreshRedemptions(again, area, "worker-3", new FakeClock()).send(refresh("RT-1"))).status).toBe(200);
    expect(again.sent).toHaveLength(1);
  });

  it("ignores an entry older than a day (its outcome no longer matters) and counts afresh", async () => {
    const area = memoryArea();
    const clock = new FakeClock(1_000_000);
    await killedMidRedemption(area, "worker-1", "RT-1", clock);
    await killedMidRedemption(area, "worker-2", "RT-1", clock); // the resends, in doubt again
    await killedMidRedemption(area, "worker-3", "RT-1", clock);
    await clock.advance(24 * 3600_000);
    const late = recordingHttp();
    expect((await guardRefreshRedemptions(late, area, "worker-4", clock).send(refresh("RT-1"))).status).toBe(200);
    expect(late.sent).toHaveLength(1);
  });
});
