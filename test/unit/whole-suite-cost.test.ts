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

describe("wholeSuiteCostsAsMuch", () => {
  it("holds when every file has a failing test and the other tests take a few milliseconds", () => {
    const tests = [
      test("fail-a", "a.test.js", 40),
      test("ok-a", "a.test.js", 3),
      test("ok-b", "a.test.js", 6),
    ];
    expect(wholeSuiteCostsAsMuch(tests, ["fail-a"])).toBe(true);
  });

  it("does not hold when a file without failing tests would run too", () => {
    const tests = [test("fail-a", "a.test.js", 1), test("ok-b", "b.test.js", 0)];
    expect(wholeSuiteCostsAsMuch(tests, ["fail-a"])).toBe(false);
    expect(wholeSuiteCostsAsMuch([...tests, test("fail-b", "b.test.js", 1)], ["fail-a", "fail-b"])).toBe(
      true,
    );
  });

  it("does not hold when the other tests take longer in all, or their time or file is unknown", () => {
    const slow = [test("fail-a", "a.test.js", 1), test("ok-a", "a.test.js", 6), test("ok-b", "a.test.js", 6)];
    expect(wholeSuiteCostsAsMuch(slow, ["fail-a"])).toBe(false);
    const untimed = [test("fail-a", "a.test.js", 1), test("ok", "a.test.js", undefined)];
    expect(wholeSuiteCostsAsMuch(untimed, ["fail-a"])).toBe(false);
    expect(wholeSuiteCostsAsMuch([test("fail-a", undefined, 1)], ["fail-a"])).toBe(false);
    expect(wholeSuiteCostsAsMuch([test("ok", "a.test.js", 1)], [])).toBe(false);
  });
});
