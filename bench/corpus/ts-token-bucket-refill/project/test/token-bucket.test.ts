import { describe, expect, it } from "vitest";
import { TokenBucket } from "../src/token-bucket.js";

function bucket(capacity: number, refillPerSecond: number) {
  const clock = { t: 0 };
  return { clock, bucket: new TokenBucket({ capacity, refillPerSecond, now: () => clock.t }) };
}

describe("TokenBucket", () => {
  it("starts full", () => {
    expect(bucket(5, 1).bucket.available()).toBe(5);
  });

  it("refuses when empty", () => {
    const { bucket: b } = bucket(2, 1);
    expect([b.tryTake(), b.tryTake(), b.tryTake()]).toEqual([true, true, false]);
  });

  it("refills over time", () => {
    const { clock, bucket: b } = bucket(2, 1);
    b.tryTake(2);
    clock.t = 1500;
    expect(b.available()).toBe(1);
  });

  it("never holds more than its capacity", () => {
    const { clock, bucket: b } = bucket(3, 2);
    clock.t = 60_000;
    expect(b.available()).toBe(3);
  });

  it("rejects a zero rate", () => {
    expect(() => new TokenBucket({ capacity: 1, refillPerSecond: 0, now: () => 0 })).toThrow(RangeError);
  });
});
