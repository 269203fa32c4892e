// When one whole-suite run may judge a candidate instead of a run of its failing tests first.
import { describe, expect, it } from "vitest";
import type { TestCaseResult } from "../../src/core/types.js";
import { wholeSuiteCostsAsMuch } from "../../src/repair/candidate-validation.js";

function test(id: string, file: string | undefined, durationMs: number | undefined): TestCaseResult {
  return {
    id,
    name: id,
    status: id.startsWith("fail") ? "failed" : "passed",
    frames: [],
    ...(file === undefined ? {} : { file }),
    ...(durationMs === undefined ? {} : { durationMs }),
  };
}

/** A suite run of these tests taking `durationMs` (a short run: the fixed allowance of 10 ms decides). */
function run(tests: TestCaseResult[], durationMs = 100) {
  return { tests, durationMs };
}

describe("wholeSuiteCostsAsMuch", () => {
  it("holds when every file has a failing test and the other tests take a few milliseconds", () => {
    const tests = [
      test("ok-a", "a.test.js", 3),
      test("fail-a", "a.test.js", 40),
      test("ok-b", "a.test.js", 6),
    ];
    expect(wholeSuiteCostsAsMuch(run(tests), ["fail-a"])).toBe(true);
  });

  it("does not hold when a file without failing tests would run too", () => {
    const tests = [test("fail-a", "a.test.js", 1), test("ok-b", "b.test.js", 0)];
    expect(wholeSuiteCostsAsMuch(run(tests), ["fail-a"])).toBe(false);
    expect(wholeSuiteCostsAsMuch(run([...tests, test("fail-b", "b.test.js", 1)]), ["fail-a", "fail-b"])).toBe(
      true,
    );
  });

  it("does not hold when the other tests take longer in all, or their time or file is unknown", () => {
    const slow = [test("fail-a", "a.test.js", 1), test("ok-a", "a.test.js", 6), test("ok-b", "a.test.js", 6)];
    expect(wholeSuiteCostsAsMuch(run(slow), ["fail-a"])).toBe(false);
    const untimed = [test("fail-a", "a.test.js", 1), test("ok", "a.test.js", undefined)];
    expect(wholeSuiteCostsAsMuch(run(untimed), ["fail-a"])).toBe(false);
    expect(wholeSuiteCostsAsMuch(run([test("fail-a", undefined, 1)]), ["fail-a"])).toBe(false);
    expect(wholeSuiteCostsAsMuch(run([test("ok", "a.test.js", 1)]), [])).toBe(false);
  });

  it("counts a file's first test as no slower than the file's slowest other test", () => {
    // The first test also paid for compiling the code under test; the failing test alone would pay that as well.
    const warmingUp = [
      test("ok-a", "a.test.js", 24),
      test("ok-b", "a.test.js", 3),
      test("fail-a", "a.test.js", 7),
    ];
    expect(wholeSuiteCostsAsMuch(run(warmingUp), ["fail-a"])).toBe(true);
    const slowFirst = [
      test("ok-a", "a.test.js", 24),
      test("ok-b", "a.test.js", 3),
      test("ok-c", "a.test.js", 2),
    ];
    expect(wholeSuiteCostsAsMuch(run([...slowFirst, test("fail-a", "a.test.js", 12)]), ["fail-a"])).toBe(
      false,
    );
    expect(wholeSuiteCostsAsMuch(run([...slowFirst, test("fail-a", "a.test.js", 3)]), ["fail-a"])).toBe(true);
  });

  it("allows the other tests a twentieth of a longer run", () => {
    const tests = [
      test("fail-a", "a.test.js", 5),
      test("ok-a", "a.test.js", 9),
      test("ok-b", "a.test.js", 9),
    ];
    expect(wholeSuiteCostsAsMuch(run(tests, 300), ["fail-a"])).toBe(false);
    expect(wholeSuiteCostsAsMuch(run(tests, 400), ["fail-a"])).toBe(true);
  });
});
