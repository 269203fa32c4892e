// Numbers failing tests got instead of the ones expected, and the constants they suggest.
import { describe, expect, it } from "vitest";
import { failureHints, hintedConstants, numberMismatches } from "../../src/core/failure-hints.js";

describe("numberMismatches", () => {
  it("reads single numbers as each runner prints them, actual first", () => {
    expect(numberMismatches("Expected values to be strictly equal:\n\n123 !== 1234\n")).toEqual([
      { actual: 123, expected: 1234 },
    ]);
    expect(numberMismatches("AssertionError: expected 300 to be 200 // Object.is equality")).toEqual([
      { actual: 300, expected: 200 },
    ]);
    expect(numberMismatches("AssertionError: assert 4.5 == 4\n +  where 4.5 = median([1, 4, 5, 9])")).toEqual(
      [{ actual: 4.5, expected: 4 }],
    );
  });

  it("pairs the differing items of compared lists and of node:assert's diff, and skips equal ones", () => {
    const diff =
      "Expected values to be strictly deep-equal:\n+ actual - expected\n\n  [\n    200,\n+   600,\n+   1800\n-   400,\n-   800\n  ]";
    expect(numberMismatches(diff)).toEqual([
      { actual: 600, expected: 400 },
      { actual: 1800, expected: 800 },
    ]);
    expect(numberMismatches("assert [200, 600] == [200, 400]")).toEqual([{ actual: 600, expected: 400 }]);
    expect(numberMismatches("expected [ 1, 2, 3 ] to deeply equal [ 1, 2, 4 ]")).toEqual([
      { actual: 3, expected: 4 },
    ]);
    expect(numberMismatches("expected [ 1, 2 ] to deeply equal [ 1, 2, 4 ]")).toEqual([]);
    expect(
      numberMismatches("Expected values to be strictly equal:\n+ actual - expected\n\n+ 'a'\n- 'b'"),
    ).toEqual([]);
  });

  it("keeps the first mismatches of all failing tests", () => {
    const failing = [1, 2].map((n) => ({
      id: `t${n}`,
      name: `t${n}`,
      status: "failed" as const,
      frames: [],
      message: `Expected values to be strictly equal:\n\n${n} !== ${n * 10}\n`,
    }));
    expect(failureHints(failing).mismatches).toEqual([
      { actual: 1, expected: 10 },
      { actual: 2, expected: 20 },
    ]);
  });
});

describe("hintedConstants", () => {
  it("scales a constant by expected/actual when that lands on a whole number, within rounding", () => {
    // Math.round(amount * 10) gave 123 for 1234, and 4.6 for 46: the factor was meant to be 100.
    expect(
      hintedConstants(10, [
        { actual: 123, expected: 1234 },
        { actual: 4.6, expected: 46 },
      ])[0],
    ).toEqual({ value: 100, votes: 2 });
    // baseMs * 3 ** (attempt - 1) gave 600 for 400 at the second attempt: the base was meant to be 2.
    expect(
      hintedConstants(3, [
        { actual: 600, expected: 400 },
        { actual: 1800, expected: 800 },
      ]),
    ).toContainEqual({ value: 2, votes: 1 });
  });

  it("scales the base of a power by roots of expected/actual, so the mismatches of a series agree", () => {
    // baseMs * 3 ** (attempt - 1) for 400, 800, 1600: each attempt differs by one more power of 3/2.
    const series = [
      { actual: 600, expected: 400 },
      { actual: 1800, expected: 800 },
      { actual: 5400, expected: 1600 },
    ];
    expect(hintedConstants(3, series, { powerBase: true })[0]).toEqual({ value: 2, votes: 3 });
    // A constant that is no power's base gets no roots: the same numbers barely suggest 2.
    expect(hintedConstants(3, series)).toEqual([{ value: 2, votes: 1 }]);
    // A root that is no whole number suggests nothing; a negative ratio has no root.
    expect(hintedConstants(3, [{ actual: 1800, expected: 700 }], { powerBase: true })).toEqual([]);
    expect(hintedConstants(3, [{ actual: 9, expected: -4 }], { powerBase: true })).toEqual([]);
  });

  it("moves a constant by expected − actual only when that is no larger than the constant", () => {
    // Scaling and moving agree on a small change: both suggest 63.
    expect(hintedConstants(60, [{ actual: 58, expected: 61 }])).toEqual([{ value: 63, votes: 2 }]);
    expect(hintedConstants(5, [{ actual: 57, expected: 60 }])).toEqual([{ value: 8, votes: 1 }]);
    expect(hintedConstants(4, [{ actual: 6, expected: 100 }])).toEqual([]);
    expect(hintedConstants(0, [{ actual: 1, expected: 2 }])).toEqual([{ value: 1, votes: 1 }]);
  });
});
