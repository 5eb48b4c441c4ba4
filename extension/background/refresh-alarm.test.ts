import { describe, expect, it } from "vitest";
import type { Random } from "../../shared/ports.js";
import { nextAlarmTime } from "./refresh-alarm.js";

const noJitter: Random = { bytes: (n) => new Uint8Array(n), float: () => 0 };
const now = 1_000_000;

describe("nextAlarmTime", () => {
  it("fires at the earliest refreshOn while nothing has failed", () => {
    expect(nextAlarmTime(now, now + 60_000, 0, undefined, noJitter)).toBe(now + 60_000);
    expect(nextAlarmTime(now, undefined, 0, undefined, noJitter)).toBeUndefined();
  });

  it("backs off ≥ 5 s, doubling, when a refresh is already due or failed", () => {
    expect(nextAlarmTime(now, now - 1, 0, undefined, noJitter)).toBe(now + 5_000);
    expect(nextAlarmTime(now, now - 1, 1, undefined, noJitter)).toBe(now + 5_000);
    expect(nextAlarmTime(now, now - 1, 2, undefined, noJitter)).toBe(now + 10_000);
    expect(nextAlarmTime(now, now - 1, 3, undefined, noJitter)).toBe(now + 20_000);
  });

  it("honours a longer Retry-After", () => {
    expect(nextAlarmTime(now, now - 1, 1, 120_000, noJitter)).toBe(now + 120_000);
  });
});
