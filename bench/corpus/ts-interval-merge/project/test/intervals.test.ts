import { describe, expect, it } from "vitest";
import { freeSlots, mergeIntervals, totalBusy } from "../src/intervals.js";

describe("mergeIntervals", () => {
  it("merges overlapping slots", () => {
    expect(mergeIntervals([{ start: 60, end: 120 }, { start: 90, end: 150 }])).toEqual([{ start: 60, end: 150 }]);
  });

  it("keeps separate slots apart and sorted", () => {
    expect(mergeIntervals([{ start: 300, end: 330 }, { start: 0, end: 30 }])).toEqual([
      { start: 0, end: 30 },
      { start: 300, end: 330 },
    ]);
  });

  it("joins back-to-back meetings", () => {
    expect(mergeIntervals([{ start: 0, end: 30 }, { start: 30, end: 60 }])).toEqual([{ start: 0, end: 60 }]);
  });

  it("drops empty slots", () => {
    expect(mergeIntervals([{ start: 10, end: 10 }])).toEqual([]);
  });
});

describe("freeSlots", () => {
  it("finds the gaps in a day", () => {
    expect(freeSlots([{ start: 540, end: 600 }], 480, 720)).toEqual([
      { start: 480, end: 540 },
      { start: 600, end: 720 },
    ]);
  });
});
