// Pairs the coverage hooks' records with the reporter's tests and attributes each coverage segment to its tests.
import { describe, expect, it } from "vitest";
import {
  matchStartedTests,
  segmentedCoverage,
} from "../../src/runtime/test-runners/node-test-coverage-hooks.js";
import type { LineRunCounts } from "../../src/runtime/test-runners/types.js";

const root = "/project";
const file = "/project/test/a.test.js";

function log(records: (object | undefined)[]): string {
  return `${records.map((record) => JSON.stringify(record)).join("\n")}\n`;
}

function counts(lines: Record<number, number>): LineRunCounts {
  return new Map([
    ["src/a.js", new Map(Object.entries(lines).map(([line, count]) => [Number(line), count]))],
  ]);
}

const ran = [
  {
    file: "test/a.test.js",
    tests: [
      { id: "test/a.test.js::outer", name: "outer" },
      { id: "test/a.test.js::outer > inner", name: "inner" },
      { id: "test/a.test.js::suite > other", name: "other" },
    ],
  },
];

describe("matchStartedTests", () => {
  it("pairs the n-th test a process started with the n-th test of its file", () => {
    const starts = ["outer", "inner", "other"].map((name, start) => ({ pid: 7, file, start, name }));
    expect(Object.fromEntries(matchStartedTests(starts, ran, root))).toEqual({
      "7:0": "test/a.test.js::outer",
      "7:1": "test/a.test.js::outer > inner",
      "7:2": "test/a.test.js::suite > other",
    });
  });

  it("leaves out a process whose tests do not line up with the reporter's", () => {
    const starts = ["outer", "other"].map((name, start) => ({ pid: 7, file, start, name }));
    expect(matchStartedTests(starts, ran, root).size).toBe(0);
    const elsewhere = [{ pid: 8, file: "/project/test/b.test.js", start: 0, name: "outer" }];
    expect(matchStartedTests(elsewhere, ran, root).size).toBe(0);
  });
});

describe("segmentedCoverage", () => {
  const starts = ["outer", "inner", "other"].map((name, start) => ({ pid: 7, file, start, name }));

  it("gives every test the lines of the segments cut while it ran, a parent those of its subtests too", () => {
    const text = log([
      starts[0],
      starts[1],
      { pid: 7, file, segment: "s0.json", running: [0] },
      { pid: 7, file, segment: "s1.json", running: [0, 1] },
      starts[2],
      { pid: 7, file, segment: "s2.json", running: [] },
      { pid: 7, file, segment: "s3.json", running: [2] },
    ]);
    const { coverage } = segmentedCoverage(
      text,
      new Map([
        ["s0.json", counts({ 1: 1, 2: 0 })],
        ["s1.json", counts({ 5: 2 })],
        ["s2.json", counts({ 9: 1 })],
        ["s3.json", counts({ 2: 1 })],
      ]),
      ran,
      root,
    );
    const lines = (id: string) => [...(coverage.get(id)?.get("src/a.js") ?? [])].sort((a, b) => a - b);
    expect(lines("test/a.test.js::outer")).toEqual([1, 5]);
    expect(lines("test/a.test.js::outer > inner")).toEqual([5]);
    expect(lines("test/a.test.js::suite > other")).toEqual([2]);
  });

  it("skips segments it cannot attribute and lines cut short by a killed process", () => {
    const text = `${log([starts[0], { pid: 7, file, segment: "s0.json", running: [0, 5] }])}{"pid":7,"segm`;
    const { coverage } = segmentedCoverage(text, new Map([["s0.json", counts({ 1: 1 })]]), ran, root);
    expect(coverage.size).toBe(0);
  });

  it("adds up the time each test's cuts took, for tests it can pair with the reporter's", () => {
    const text = log([
      { pid: 7, test: 0, cutMs: 4 },
      starts[0],
      { pid: 7, test: 1, cutMs: 2.5 },
      starts[1],
      { pid: 7, test: 1, cutMs: 3 },
      { pid: 7, test: 0, cutMs: 1 },
      { pid: 8, test: 0, cutMs: 9 },
    ]);
    const { cutMsByTest } = segmentedCoverage(text, new Map(), ran, root);
    expect(cutMsByTest).toEqual(
      new Map([
        ["test/a.test.js::outer", 5],
        ["test/a.test.js::outer > inner", 5.5],
      ]),
    );
  });
});
