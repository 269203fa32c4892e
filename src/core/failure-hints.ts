// What failing tests' messages point at: operator families (a null dereference asks for a guard) and numbers got instead of expected.
import type { OperatorFamily, TestCaseResult } from "./types.js";

/** Messages of reading through a value that was not there (JavaScript, TypeScript, Python). */
const NULL_DEREFERENCE =
  /Cannot read propert(?:y|ies) (?:'[^']*' )?of (?:undefined|null)|Cannot destructure|'NoneType' object (?:has no attribute|is not subscriptable|is not iterable)|operand type\(s\) for [^:\n]*: (?:'NoneType'|'\w+' and 'NoneType')/;

/** Messages of a promise used where its value was meant (a missing `await`). */
const PROMISE_AS_VALUE = /\[object Promise\]|Promise \{ <pending> \}|is not iterable/;

/** A function that returned nothing: `assert None == 7` (pytest), `undefined !== 7` (node:assert), `expected undefined to be 7` (vitest). */
const NOTHING_RETURNED =
  /assert None == |^\s*undefined !== |expected undefined to (?:be|equal|deeply equal)/m;

/** A number a failing test got where it expected another, as its runner printed them. */
export interface NumberMismatch {
  actual: number;
  expected: number;
}

/** What the failing tests' messages suggest to candidate generation. */
export interface FailureHints {
  /** Families whose edits near the failure rank higher. */
  families: OperatorFamily[];
  /** Numbers the tests got instead of the ones they expected (see `hintedConstants`). */
  mismatches: NumberMismatch[];
}

/** At most this many mismatches are kept, the first ones printed first. */
const MAX_MISMATCHES = 8;

/** A number as the runners print one. */
const NUMBER = String.raw`-?\d+(?:\.\d+)?`;
/** Single numbers compared: `assert 3 == 4` (pytest), `3 !== 4` (node:assert), `expected 3 to be 4` (vitest, chai). */
const SINGLE_COMPARISONS = [
  new RegExp(`assert (${NUMBER}) == (${NUMBER})\\s*$`, "gm"),
  new RegExp(`^\\s*(${NUMBER}) !== (${NUMBER})\\s*$`, "gm"),
  new RegExp(`expected (${NUMBER}) to (?:be|equal|deeply equal|strictly equal) (${NUMBER})\\b`, "g"),
];
/** Lists compared: `assert [1, 2] == [1, 3]` (pytest), `expected [ 1, 2 ] to deeply equal [ 1, 3 ]` (vitest, chai). */
const LIST_COMPARISONS = [
  /assert \[([^\]\n]*)\] == \[([^\]\n]*)\]/g,
  /expected \[([^\]\n]*)\] to (?:deeply |strictly )?equal \[([^\]\n]*)\]/g,
];
/** A line of node:assert's `+ actual - expected` diff holding one number. */
const DIFF_LINE = new RegExp(`^([+-])\\s+(${NUMBER}),?\\s*$`);

/** The numbers of a printed list (`1, 2.5, 3`), or undefined when an item is not a number. */
function numbersOf(list: string): number[] | undefined {
  const items = list.split(",").map((item) => item.trim());
  const numbers = items.map(Number);
  return items.every((item) => item !== "") && numbers.every(Number.isFinite) ? numbers : undefined;
}

/** The differing pairs of node:assert's diff: in each run of changed lines, the k-th `+` number with the k-th `-`. */
function diffMismatches(message: string): NumberMismatch[] {
  const found: NumberMismatch[] = [];
  let actual: number[] = [];
  let expected: number[] = [];
  const flush = () => {
    for (let index = 0; index < Math.min(actual.length, expected.length); index += 1)
      found.push({ actual: actual[index] as number, expected: expected[index] as number });
    actual = [];
    expected = [];
  };
  for (const line of message.split("\n")) {
    const match = DIFF_LINE.exec(line);
    if (!match) {
      flush();
      continue;
    }
    (match[1] === "+" ? actual : expected).push(Number(match[2]));
  }
  flush();
  return found;
}

/** The single numbers a message compares, actual first, in the order of `SINGLE_COMPARISONS`. */
function singleComparisons(message: string): NumberMismatch[] {
  return SINGLE_COMPARISONS.flatMap((pattern) =>
    [...message.matchAll(pattern)].map((match) => ({ actual: Number(match[1]), expected: Number(match[2]) })),
  );
}

/** The numbers one failure message shows it got instead of the ones expected, in the order printed. */
export function numberMismatches(message: string): NumberMismatch[] {
  const found = singleComparisons(message);
  for (const pattern of LIST_COMPARISONS) {
    for (const match of message.matchAll(pattern)) {
      const actual = numbersOf(match[1] ?? "");
      const expected = numbersOf(match[2] ?? "");
      if (!actual || !expected || actual.length !== expected.length) continue;
      actual.forEach((value, index) => {
        found.push({ actual: value, expected: expected[index] as number });
      });
    }
  }
  found.push(...diffMismatches(message));
  return found.filter((pair) => pair.actual !== pair.expected);
}

/** The families the failing tests' messages suggest, most of them for none. */
export function familiesSuggestedByFailures(failing: readonly TestCaseResult[]): OperatorFamily[] {
  const suggested = new Set<OperatorFamily>();
  for (const test of failing) {
    const message = test.message ?? "";
    if (NULL_DEREFERENCE.test(message)) suggested.add("add_guard");
    if (PROMISE_AS_VALUE.test(message)) suggested.add("add_call_or_return");
    if (NOTHING_RETURNED.test(message)) {
      suggested.add("add_call_or_return");
      suggested.add("mutate_return");
    }
    const [compared] = singleComparisons(message);
    if (compared) {
      const { actual, expected } = compared;
      if (actual === -expected && actual !== 0) {
        suggested.add("swap_operands");
        suggested.add("wrap_call");
      }
      if (Math.abs(actual - expected) === 1 && Number.isInteger(actual)) suggested.add("off_by_one");
    }
  }
  return [...suggested];
}

/** Everything the failing tests' messages suggest. */
export function failureHints(failing: readonly TestCaseResult[]): FailureHints {
  return {
    families: familiesSuggestedByFailures(failing),
    mismatches: failing.flatMap((test) => numberMismatches(test.message ?? "")).slice(0, MAX_MISMATCHES),
  };
}

/** Exponents tried when a constant is the base of a power: the k-th mismatch of a geometric series differs by a k-th power. */
const POWER_BASE_EXPONENTS = [2, 3, 4];

/**
 * Values a numeric constant `value` of the faulty code may have been meant to have, given the numbers the tests got
 * instead of the ones expected: the constant scaled by expected/actual (when that lands on a whole number, allowing
 * for `actual` having been rounded), or moved by expected − actual (when that is no larger than the constant). The
 * base of a power (`value ** n`) is also scaled by a square, cube or fourth root of expected/actual: `3 ** n` meant as
 * `2 ** n` turns 2 into 3 and 4 into 9. Most suggested first, with how many mismatches suggest each.
 */
export function hintedConstants(
  value: number,
  mismatches: readonly NumberMismatch[],
  options: { powerBase?: boolean } = {},
): Array<{ value: number; votes: number }> {
  const votes = new Map<number, number>();
  const vote = (candidate: number) => {
    if (candidate !== value && Number.isFinite(candidate))
      votes.set(candidate, (votes.get(candidate) ?? 0) + 1);
  };
  for (const { actual, expected } of mismatches) {
    let whole: number | undefined;
    if (actual !== 0 && value !== 0) {
      const scaled = (value * expected) / actual;
      const rounded = Math.round(scaled);
      // A whole `actual` of 10 or more may have been rounded by up to 0.5, which moves `scaled` this far.
      const slack =
        Number.isInteger(actual) && Math.abs(actual) >= 10
          ? Math.abs(value * expected) / (2 * actual * actual)
          : 1e-9 * Math.abs(scaled);
      if (rounded !== 0 && Math.abs(scaled - rounded) <= slack) {
        whole = rounded;
        vote(whole);
      }
      if (options.powerBase && expected / actual > 0) {
        const roots = new Set<number>();
        for (const exponent of POWER_BASE_EXPONENTS) {
          const rooted = value * (expected / actual) ** (1 / exponent);
          const wholeRoot = Math.round(rooted);
          if (wholeRoot !== 0 && Math.abs(rooted - wholeRoot) <= 1e-9 * Math.abs(rooted))
            roots.add(wholeRoot);
        }
        for (const root of roots) if (root !== whole) vote(root);
      }
    }
    const shift = expected - actual;
    if (Number.isInteger(shift) && Math.abs(shift) <= Math.max(1, Math.abs(value))) vote(value + shift);
  }
  return [...votes.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([candidate, count]) => ({ value: candidate, votes: count }));
}
