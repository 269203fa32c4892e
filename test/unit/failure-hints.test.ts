// Which operator families a failing test's message points at, for each runner's way of printing it.
import { describe, expect, it } from "vitest";
import { familiesSuggestedByFailures } from "../../src/core/failure-hints.js";
import type { TestCaseResult } from "../../src/core/types.js";

const failing = (...messages: string[]): TestCaseResult[] =>
  messages.map((message, index) => ({
    id: `t${index}`,
    name: `t${index}`,
    status: "failed",
    frames: [],
    message,
  }));

describe("familiesSuggestedByFailures", () => {
  it("asks for a guard after a null dereference in JavaScript or Python", () => {
    for (const message of [
      "Cannot read properties of undefined (reading 'nickname')",
      "TypeError: Cannot read property 'trim' of null",
      "AttributeError: 'NoneType' object has no attribute 'strip'",
      "TypeError: unsupported operand type(s) for -: 'NoneType' and 'int'",
      "TypeError: unsupported operand type(s) for +: 'int' and 'NoneType'",
    ]) {
      expect(familiesSuggestedByFailures(failing(message))).toEqual(["add_guard"]);
    }
  });

  it("asks for a missing await or return when a promise or nothing came back", () => {
    expect(familiesSuggestedByFailures(failing('"[object Promise]" is not valid JSON'))).toEqual([
      "add_call_or_return",
    ]);
    expect(familiesSuggestedByFailures(failing("TypeError: rest is not iterable"))).toEqual([
      "add_call_or_return",
    ]);
    for (const message of [
      "AssertionError: assert None == 7.0\n +  where None = subtotal()",
      "Expected values to be strictly equal:\n\nundefined !== 7\n",
      "AssertionError: expected undefined to be 7 // Object.is equality",
    ]) {
      expect(familiesSuggestedByFailures(failing(message))).toEqual(["add_call_or_return", "mutate_return"]);
    }
  });

  it("reads a flipped sign or a difference of one from each runner's comparison", () => {
    expect(
      familiesSuggestedByFailures(failing("AssertionError: assert -4 == 4\n +  where -4 = f()")),
    ).toEqual(["swap_operands", "wrap_call"]);
    expect(
      familiesSuggestedByFailures(failing("Expected values to be strictly equal:\n\n2 !== 3\n")),
    ).toEqual(["off_by_one"]);
    expect(
      familiesSuggestedByFailures(failing("AssertionError: expected 9 to be 10 // Object.is equality")),
    ).toEqual(["off_by_one"]);
  });

  it("suggests nothing for other messages, numbers further apart, or floats one apart", () => {
    expect(
      familiesSuggestedByFailures(
        failing(
          "AssertionError: assert 1.112 == 3.336",
          "Expected values to be strictly equal:\n\n123 !== 1234\n",
          "AssertionError: assert 1.5 == 2.5",
          "expected [ 1, 9 ] to deeply equal [ 1, 3 ]",
          "AssertionError: assert 0 == 0",
        ),
      ),
    ).toEqual([]);
  });
});
