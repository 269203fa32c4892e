import { describe, expect, it } from "vitest";
import { validateForm } from "../src/form-rules.js";

describe("optional fields", () => {
  it("a complete form with an absent optional field is valid", () => {
    const rules = [
      { field: "email", required: true, pattern: /@/ },
      { field: "phone", pattern: /^\+?\d+$/, minLength: 6 },
    ];
    expect(validateForm({ email: "a@b.c" }, rules)).toEqual({});
    expect(validateForm({ email: "a@b.c", phone: "12" }, rules)).toEqual({ phone: "phone must be at least 6 characters" });
  });
});
