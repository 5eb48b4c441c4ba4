import { describe, expect, it } from "vitest";
import { recordEvents } from "../../e2e/support/unit/event-recorder.js";
import { adoptOpenTabs, type FrameFacts, type TabScripting } from "./adopt-open-tabs.js";

const GRANTED = "http://localhost:4001";

function fakeScripting(frames: Record<number, FrameFacts[]>, failInject = new Set<string>()) {
  const injected: string[] = [];
  const scripting: TabScripting = {
    tabs: async () => Object.keys(frames).map(Number),
    frames: async (tabId) => {
      const list = frames[tabId];
      if (!list) throw new Error("No tab with id");
      return list;
    },
    inject: async (tabId, frameId, file, world) => {
      const key = `${tabId}/${frameId}`;
      if (failInject.has(key)) throw new Error("Frame with ID 0 was removed");
      injected.push(`${key}:${world}:${file}`);
    },
  };
  return { scripting, injected };
}


describe("adoptOpenTabs", () => {
  it("injects relay then bridge into a granted frame that loaded without them, and only there", async () => {
    const { scripting, injected } = fakeScripting({
      7: [
        { tabId: 7, frameId: 0, origin: GRANTED, hasRelay: false },
        // An ungranted iframe inside the granted page (host permission covers every localhost port).
        { tabId: 7, frameId: 3, origin: "http://localhost:4999", hasRelay: false },
      ],
      8: [{ tabId: 8, frameId: 0, origin: GRANTED, hasRelay: true }],
    });
    const log = recordEvents();
    expect(await adoptOpenTabs([GRANTED], [`${GRANTED}/*`], scripting, log.emitter)).toBe(1);
    expect(injected).toEqual(["7/0:ISOLATED:relay.isolated.js", "7/0:MAIN:naa-bridge.main.js"]);
    expect(log.types()).toEqual(["grants.adopted"]);
  });

  it("does nothing without grants", async () => {
    const { scripting, injected } = fakeScripting({ 1: [{ tabId: 1, frameId: 0, origin: GRANTED, hasRelay: false }] });
    expect(await adoptOpenTabs([], [], scripting, recordEvents().emitter)).toBe(0);
    expect(injected).toEqual([]);
  });

  it("a tab that vanished or a frame that cannot be injected is logged and the others still get the bridge", async () => {
    const { scripting, injected } = fakeScripting(
      {
        1: [{ tabId: 1, frameId: 0, origin: GRANTED, hasRelay: false }],
        2: [{ tabId: 2, frameId: 0, origin: GRANTED, hasRelay: false }],
      },
      new Set(["1/0"]),
    );
    const failing: TabScripting = { ...scripting, tabs: async () => [9, 1, 2] };
    const log = recordEvents();
    expect(await adoptOpenTabs([GRANTED], [`${GRANTED}/*`], failing, log.emitter)).toBe(1);
    expect(injected).toEqual(["2/0:ISOLATED:relay.isolated.js", "2/0:MAIN:naa-bridge.main.js"]);
    expect(log.types()).toEqual(["grants.adopt_skipped", "grants.adopt_failed", "grants.adopted"]);
  });
});
