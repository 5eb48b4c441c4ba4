import { afterEach, describe, expect, it, vi } from "vitest";

describe("MemoryStore without structuredClone", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it("falls back to a JSON copy", async () => {
    vi.stubGlobal("structuredClone", undefined);
    vi.resetModules();
    const { MemoryStore } = await import("./memory-store.js");
    const store = new MemoryStore();
    const value = { list: [1] };
    await store.set("k", value);
    await store.set("u", undefined);
    value.list.push(2);
    expect(await store.get("k")).toEqual({ list: [1] });
    expect(await store.get("u")).toBeUndefined();
  });
});
