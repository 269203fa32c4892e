// Operator families a failing test's message points at: a null dereference asks for a guard, a promise used as a value for an await.
import type { OperatorFamily, TestCaseResult } from "./types.js";

/** Messages of reading through a value that was not there (JavaScript, TypeScript, Python). */
const NULL_DEREFERENCE =
  /Cannot read propert(?:y|ies) (?:'[^']*' )?of (?:undefined|null)|Cannot destructure|'NoneType' object (?:has no attribute|is not subscriptable|is not iterable)|operand type\(s\) for [^:\n]*: (?:'NoneType'|'\w+' and 'NoneType')/;

/** Messages of a promise used where its value was meant (a missing `await`). */
const PROMISE_AS_VALUE = /\[object Promise\]|Promise \{ <pending> \}|is not iterable/;

/** A function that returned nothing: `assert None == 7` (pytest), `undefined !== 7` (node:assert), `expected undefined to be 7` (vitest). */
const NOTHING_RETURNED =
  /assert None == |^\s*undefined !== |expected undefined to (?:be|equal|deeply equal)/m;

/** Actual and expected numbers as each runner prints them, in that order. */
const NUMBERS_COMPARED = [
  /assert (-?\d+(?:\.\d+)?) == (-?\d+(?:\.\d+)?)\s*$/m,
  /^\s*(-?\d+(?:\.\d+)?) !== (-?\d+(?:\.\d+)?)\s*$/m,
  /expected (-?\d+(?:\.\d+)?) to (?:be|equal) (-?\d+(?:\.\d+)?)\b/,
];

function comparedNumbers(message: string): [number, number] | undefined {
  for (const pattern of NUMBERS_COMPARED) {
    const match = pattern.exec(message);
    if (match) return [Number(match[1]), Number(match[2])];
  }
  return undefined;
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
    const numbers = comparedNumbers(message);
    if (numbers) {
      const [actual, expected] = numbers;
      if (actual === -expected && actual !== 0) {
        suggested.add("swap_operands");
        suggested.add("wrap_call");
      }
      if (Math.abs(actual - expected) === 1 && Number.isInteger(actual)) suggested.add("off_by_one");
    }
  }
  return [...suggested];
}
