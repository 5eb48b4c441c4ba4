import { describe, expect, it } from "vitest";
import { BRIDGE_ASK_EVENT, PAGE_CHANNEL, RELAY_READY_EVENT } from "../../shared/protocol/naa-channel.js";
import { answerBridge, askRelay, type HandshakeWindow } from "./bridge-handshake.js";

/** A window whose postMessage delivers a "message" event from itself, synchronously, and records it. */
type FakeWindow = HandshakeWindow & { posted: unknown[]; deliver(data: unknown, source?: unknown): void };

function fakeWindow(): FakeWindow {
  const target = new EventTarget();
  const win: FakeWindow = {
    posted: [] as unknown[],
    addEventListener: target.addEventListener.bind(target),
    removeEventListener: target.removeEventListener.bind(target),
    dispatchEvent: target.dispatchEvent.bind(target),
    deliver(data: unknown, source: unknown = win) {
      target.dispatchEvent(Object.assign(new Event("message"), { data, source }));
    },
    postMessage(data: unknown) {
      win.posted.push(data);
      win.deliver(data);
    },
  } as FakeWindow;
  return win;
}

describe("bridge ↔ relay handshake", () => {
  it("Chromium: the relay knows at once, so the bridge appears synchronously (the page's first script sees it)", () => {
    const win = fakeWindow();
    answerBridge(win, "http://localhost:3000", true);
    let appeared = 0;
    askRelay(win, "nonce-1", () => appeared++);
    expect(appeared).toBe(1);
    expect(win.posted).toEqual([]);
  });

  it("Firefox, granted port: the bridge appears once the worker confirmed, on the relay's message with the ask's nonce", () => {
    const win = fakeWindow();
    const relay = answerBridge(win, "http://localhost:3000", false);
    let appeared = 0;
    askRelay(win, "nonce-2", () => appeared++);
    expect(appeared).toBe(0);
    relay.grant();
    expect(appeared).toBe(1);
    expect(win.posted).toEqual([{ channel: PAGE_CHANNEL, type: "granted", nonce: "nonce-2" }]);
    relay.grant();
    expect(appeared).toBe(1);
  });

  it("Firefox, another port of a granted host: nothing appears, nothing is posted, and a forged grant does not summon it", () => {
    const win = fakeWindow();
    answerBridge(win, "http://localhost:4000", false); // The worker answers no: grant() is never called.
    let appeared = 0;
    askRelay(win, "secret", () => appeared++);
    win.deliver({ channel: PAGE_CHANNEL, type: "granted", nonce: "guess" });
    win.deliver({ channel: PAGE_CHANNEL, type: "granted", nonce: "secret" }, {}); // Not from this window.
    expect(appeared).toBe(0);
    expect(win.posted).toEqual([]);
  });

  it("answers only the bridge's first ask: a page asking later learns nothing, even on a granted origin", () => {
    const win = fakeWindow();
    answerBridge(win, "http://localhost:3000", true);
    askRelay(win, "bridge", () => undefined);
    const pageAsk = new CustomEvent(BRIDGE_ASK_EVENT, { detail: "page", cancelable: true });
    expect(win.dispatchEvent(pageAsk)).toBe(true); // Not cancelled: no answer.
  });

  it("a bridge injected after the worker already said yes (an adopted tab) appears at once", () => {
    const win = fakeWindow();
    const relay = answerBridge(win, "http://localhost:3000", false);
    relay.grant();
    let appeared = 0;
    askRelay(win, "late", () => appeared++);
    expect(appeared).toBe(1);
    expect(win.posted).toEqual([]);
  });

  it("either script may run first: a bridge that asked before the relay existed (Chrome's order) is answered when the relay starts", () => {
    for (const grantedNow of [true, false]) {
      const win = fakeWindow();
      let appeared = 0;
      askRelay(win, "early", () => appeared++);
      expect(appeared).toBe(0);
      const relay = answerBridge(win, "http://localhost:3000", grantedNow);
      if (!grantedNow) {
        expect(appeared).toBe(0);
        relay.grant();
      }
      expect(appeared, `granted ${grantedNow ? "at once" : "later"}`).toBe(1);
    }
  });

  it("a page announcing a relay later gets no ask to see once the bridge was heard", () => {
    const win = fakeWindow();
    answerBridge(win, "http://localhost:4000", false);
    askRelay(win, "secret", () => undefined);
    const seen: unknown[] = [];
    win.addEventListener(BRIDGE_ASK_EVENT, (e) => seen.push((e as CustomEvent).detail));
    win.dispatchEvent(new Event(RELAY_READY_EVENT));
    expect(seen).toEqual([]);
  });
});

