import { describe, expect, it } from "vitest";
import type { TestCaseResult } from "../../src/core/types.js";
import { FIRST_TIMEOUT_MS, HangTimeouts } from "../../src/repair/hang-timeouts.js";
import { progressingWhenStopped } from "../../src/repair/reproduction.js";

const test = (id: string, status: TestCaseResult["status"], durationMs?: number): TestCaseResult => ({
  id,
  name: id,
  file: id.split("::")[0] as string,
  status,
  frames: [],
  ...(durationMs === undefined ? {} : { durationMs }),
});

describe("timeouts after a hung baseline", () => {
  const tests = [
    test("tests/test_a.py::fast", "passed", 20),
    test("tests/test_a.py::slower", "passed", 300),
    test("tests/test_a.py::loops", "failed"),
    test("tests/test_b.py::other", "passed", 5_000),
  ];
  const failing = tests.filter((t) => t.status === "failed");

  it("start near a second, from what the passing tests of the same file take", () => {
    const timeouts = new HangTimeouts<string>({ tests, failing, maxMs: 40_000 });
    // 0.8 s to start plus three times the slowest passing test of test_a.py (not test_b.py's 5 s).
    expect(timeouts.failingTimeoutMs(60_000)).toBe(800 + 3 * 300);
    expect(timeouts.suiteTimeoutMs(60_000)).toBe(1_700 + 3 * 5_320);
    expect(timeouts.failingTimeoutMs(500)).toBe(500);
  });

  it("double while candidates time out, trying those candidates again, up to what the baseline waited", () => {
    const timeouts = new HangTimeouts<string>({ tests: failing, failing, maxMs: 5_000 });
    expect(timeouts.currentLevelMs).toBe(FIRST_TIMEOUT_MS);
    expect(timeouts.deepen()).toBeNull();
    timeouts.record("a", true);
    timeouts.record("b", false);
    timeouts.record("c", true);
    expect(timeouts.everythingTimesOut(2)).toBe(false);
    expect(timeouts.deepen()).toEqual(["a", "c"]);
    expect(timeouts.currentLevelMs).toBe(2 * FIRST_TIMEOUT_MS);
    timeouts.record("a", true);
    timeouts.record("c", true);
    expect(timeouts.everythingTimesOut(2)).toBe(true);
    expect(timeouts.deepen()).toEqual(["a", "c"]);
    timeouts.record("a", true);
    expect(timeouts.deepen()).toEqual(["a"]);
    expect(timeouts.currentLevelMs).toBe(5_000);
    timeouts.record("a", true);
    expect(timeouts.deepen()).toBeNull();
  });
});

describe("a baseline stopped by its first timeout", () => {
  it("is hung when one unfinished test took most of the time", () => {
    const run = { durationMs: 60_000, tests: [test("t.py::a", "passed", 30), test("t.py::b", "failed")] };
    expect(progressingWhenStopped(run)).toBe(false);
  });

  it("was progressing when its finished tests took most of the time, or no test is known to have started", () => {
    const slow = {
      durationMs: 60_000,
      tests: [test("t.py::a", "passed", 40_000), test("t.py::b", "failed")],
    };
    expect(progressingWhenStopped(slow)).toBe(true);
    const unknown = {
      durationMs: 60_000,
      tests: [{ id: "<npm test>", name: "<npm test>", status: "failed" as const, frames: [] }],
    };
    expect(progressingWhenStopped(unknown)).toBe(true);
  });
});
