import { describe, expect, it } from "vitest";
import { headerKeys, importTable, splitRows } from "../src/table-import.js";

describe("table import", () => {
  it("splits rows and trims cells", () => {
    expect(splitRows("a\t b \n\nc\td")).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
  });

  it("normalizes header names", () => {
    expect(headerKeys(["First Name", "", "AGE"])).toEqual(["first_name", "column2", "age"]);
  });

  it("empty text imports nothing", () => {
    expect(importTable("  \n")).toEqual({ records: [], warnings: ["nothing to import"] });
  });

  it("every data row becomes a record", () => {
    const result = importTable("Name\tQty\napple\t3\npear\t5");
    expect(result.records).toEqual([
      { name: "apple", qty: "3" },
      { name: "pear", qty: "5" },
    ]);
  });
});
