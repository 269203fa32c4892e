import { describe, expect, it } from "vitest";
import { checkField, validateForm } from "../src/form-rules.js";

describe("checkField", () => {
  it("reports a missing required field", () => {
    expect(checkField({}, { field: "name", required: true })).toBe("name is required");
  });

  it("checks the minimum length after trimming", () => {
    expect(checkField({ zip: " 12 " }, { field: "zip", minLength: 5 })).toBe("zip must be at least 5 characters");
  });

  it("checks patterns", () => {
    expect(checkField({ zip: "12a45" }, { field: "zip", pattern: /^\d{5}$/ })).toBe("zip has the wrong format");
  });

  it("accepts a missing optional field", () => {
    expect(checkField({}, { field: "nickname", maxLength: 20 })).toBeNull();
  });
});

describe("validateForm", () => {
  it("keeps the first problem per field", () => {
    const errors = validateForm({ name: "" }, [
      { field: "name", required: true },
      { field: "name", minLength: 2 },
    ]);
    expect(errors).toEqual({ name: "name is required" });
  });
});
