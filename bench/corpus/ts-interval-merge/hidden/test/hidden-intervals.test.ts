import { describe, expect, it } from "vitest";
import { freeSlots, totalBusy } from "../src/intervals.js";

describe("busy time", () => {
  it("adjacent meetings leave no zero-length gap", () => {
    expect(freeSlots([{ start: 60, end: 90 }, { start: 90, end: 120 }], 60, 180)).toEqual([{ start: 120, end: 180 }]);
  });

  it("total busy counts overlaps once", () => {
    expect(totalBusy([{ start: 0, end: 50 }, { start: 25, end: 75 }, { start: 75, end: 80 }])).toBe(80);
  });
});
