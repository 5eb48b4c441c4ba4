import { describe, expect, it } from "vitest";
import { SingleFlight } from "./single-flight.js";

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe("SingleFlight", () => {
  it("shares one in-flight call among concurrent callers of a key", async () => {
    const flight = new SingleFlight();
    const d = deferred<string>();
    let calls = 0;
    const fn = () => (calls++, d.promise);
    const all = Promise.all(Array.from({ length: 10 }, () => flight.run("k", fn)));
    expect(flight.has("k")).toBe(true);
    d.resolve("token");
    expect(await all).toEqual(Array(10).fill("token"));
    expect(calls).toBe(1);
    expect(flight.size).toBe(0);
  });

  it("runs different keys independently", async () => {
    const flight = new SingleFlight();
    const results = await Promise.all([flight.run("a", async () => 1), flight.run("b", async () => 2)]);
    expect(results).toEqual([1, 2]);
  });

  it("shares failures and then starts afresh", async () => {
    const flight = new SingleFlight();
    const d = deferred<string>();
    const first = flight.run("k", () => d.promise);
    const second = flight.run("k", async () => "unused");
    d.reject(new Error("boom"));
    await expect(first).rejects.toThrow("boom");
    await expect(second).rejects.toThrow("boom");
    expect(await flight.run("k", async () => "again")).toBe("again");
  });

  it("does not keep a call that threw synchronously", async () => {
    const flight = new SingleFlight();
    await expect(
      flight.run("k", () => {
        throw new Error("sync");
      }),
    ).rejects.toThrow("sync");
    expect(flight.has("k")).toBe(false);
  });
});
