import { describe, expect, it } from "vitest";
import { TokenBucket } from "../src/token-bucket.js";

describe("TokenBucket burst", () => {
  it("an idle client can burst only up to capacity", () => {
    const clock = { t: 0 };
    const b = new TokenBucket({ capacity: 2, refillPerSecond: 1, now: () => clock.t });
    clock.t = 10_000;
    expect([b.tryTake(), b.tryTake(), b.tryTake()]).toEqual([true, true, false]);
    expect(b.waitMs()).toBe(1000);
  });
});
