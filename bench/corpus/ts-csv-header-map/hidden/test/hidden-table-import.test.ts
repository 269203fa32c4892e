import { describe, expect, it } from "vitest";
import { importTable } from "../src/table-import.js";

describe("short rows", () => {
  it("the first data row is checked and reported", () => {
    const result = importTable("a\tb\n1\n2\t3");
    expect(result.records).toEqual([
      { a: "1", b: "" },
      { a: "2", b: "3" },
    ]);
    expect(result.warnings).toEqual(["row 2 has 1 cells, expected 2"]);
  });
});
