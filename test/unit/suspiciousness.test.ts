import { describe, expect, it } from "vitest";
import { isProjectSourcePath } from "../../src/core/source-paths.js";
import { ochiai, rankSuspiciousLines } from "../../src/core/suspiciousness.js";
import type { TestCaseResult } from "../../src/core/types.js";

const test = (
  id: string,
  status: TestCaseResult["status"],
  frames: TestCaseResult["frames"] = [],
): TestCaseResult => ({
  id,
  name: id,
  status,
  frames,
});

describe("Ochiai", () => {
  it("is 1 for a line run only by every failing test and 0 for a line no failing test ran", () => {
    expect(ochiai(2, 0, 2)).toBe(1);
    expect(ochiai(0, 5, 2)).toBe(0);
    expect(ochiai(1, 3, 1)).toBeCloseTo(0.5);
  });
});

describe("ranking suspicious lines", () => {
  it("puts the project frame where the error was raised first and ignores test and dependency frames", () => {
    const failing = [
      test("t1", "failed", [
        { file: "src/cart.js", line: 12, functionName: "discount" },
        { file: "src/cart.js", line: 30, functionName: "total" },
        { file: "test/cart.test.js", line: 5 },
        { file: "node_modules/x/index.js", line: 1 },
      ]),
    ];
    const ranked = rankSuspiciousLines({ failing, passing: [], isProjectSource: isProjectSourcePath });
    expect(ranked.map((l) => `${l.file}:${l.startLine}`)).toEqual(["src/cart.js:12", "src/cart.js:30"]);
    expect(ranked[0]?.functionName).toBe("discount");
    expect(ranked[0]?.reasons[0]).toContain("where it failed");
  });

  it("scores covered lines by Ochiai so that lines run only by failing tests win", () => {
    const coverage = new Map([
      ["f", new Map([["lib/a.py", new Set([1, 2, 3])]])],
      ["p1", new Map([["lib/a.py", new Set([1, 2])]])],
      ["p2", new Map([["lib/a.py", new Set([1])]])],
    ]);
    const ranked = rankSuspiciousLines({
      failing: [test("f", "failed")],
      passing: [test("p1", "passed"), test("p2", "passed")],
      coverage,
      isProjectSource: isProjectSourcePath,
    });
    expect(ranked.map((l) => l.startLine)).toEqual([3, 2, 1]);
    expect(ranked[0]?.score).toBeGreaterThan(ranked[1]?.score ?? 1);
  });

  it("ranks from pooled coverage when there is none per test: lines no passing test ran come first", () => {
    const pooledCoverage = {
      failing: new Map([["src/a.js", new Set([2, 3, 4])]]),
      passing: new Map([["src/a.js", new Set([1, 2])]]),
    };
    const ranked = rankSuspiciousLines({
      failing: [test("f1", "failed"), test("f2", "failed")],
      passing: [test("p1", "passed")],
      pooledCoverage,
      isProjectSource: isProjectSourcePath,
    });
    expect(ranked.map((l) => l.startLine)).toEqual([3, 4, 2]);
    expect(ranked[0]?.reasons).toEqual(["Ochiai 1.00: run by the failing tests and by no passing test"]);
    expect(ranked[2]?.reasons[0]).toMatch(/by passing ones$/);
  });

  it("prefers per-test coverage to pooled coverage", () => {
    const ranked = rankSuspiciousLines({
      failing: [test("f", "failed")],
      passing: [],
      coverage: new Map([["f", new Map([["src/a.js", new Set([9])]])]]),
      pooledCoverage: { failing: new Map([["src/a.js", new Set([1])]]), passing: new Map() },
      isProjectSource: isProjectSourcePath,
    });
    expect(ranked.map((l) => l.startLine)).toEqual([9]);
  });

  it("uses recent changes as weak evidence, and not against coverage that says no failing test ran them", () => {
    const recentChanges = new Map([["src/a.js", new Set([4, 9])]]);
    const withoutCoverage = rankSuspiciousLines({
      failing: [test("f", "failed")],
      passing: [],
      recentChanges,
      isProjectSource: isProjectSourcePath,
    });
    expect(withoutCoverage.map((l) => l.startLine)).toEqual([4, 9]);
    const coverage = new Map([["f", new Map([["src/a.js", new Set([4])]])]]);
    const withCoverage = rankSuspiciousLines({
      failing: [test("f", "failed")],
      passing: [],
      recentChanges,
      coverage,
      isProjectSource: isProjectSourcePath,
    });
    expect(withCoverage.map((l) => l.startLine)).toEqual([4]);
    expect(withCoverage[0]?.reasons).toContain("changed by a recent commit");
  });
});

describe("project source paths", () => {
  it("exclude tests, dependencies and files outside the project", () => {
    expect(isProjectSourcePath("src/app.ts")).toBe(true);
    expect(isProjectSourcePath("pkg/mod.py")).toBe(true);
    expect(isProjectSourcePath("tests/test_mod.py")).toBe(false);
    expect(isProjectSourcePath("src/app.test.ts")).toBe(false);
    expect(isProjectSourcePath("node_modules/lib/index.js")).toBe(false);
    expect(isProjectSourcePath("/usr/lib/python3.11/x.py")).toBe(false);
    expect(isProjectSourcePath("../elsewhere.js")).toBe(false);
    expect(isProjectSourcePath("README.md")).toBe(false);
  });
});
