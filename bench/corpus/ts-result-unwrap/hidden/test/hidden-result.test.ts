import { describe, expect, it } from "vitest";
import { collect, parseInteger, unwrapOr } from "../src/result.js";

describe("unwrapping", () => {
  it("zero is a real value", () => {
    expect(unwrapOr(parseInteger("0"), 7)).toBe(0);
  });

  it("collected values unwrap to the list", () => {
    expect(unwrapOr(collect(["1", "2"].map(parseInteger)), [])).toEqual([1, 2]);
  });
});
