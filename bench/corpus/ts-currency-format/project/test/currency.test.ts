import { describe, expect, it } from "vitest";
import { formatMoney, groupDigits } from "../src/currency.js";

describe("formatMoney", () => {
  it("formats small dollar amounts", () => {
    expect(formatMoney(705, "USD")).toBe("$7.05");
    expect(formatMoney(5, "USD")).toBe("$0.05");
  });

  it("groups thousands", () => {
    expect(formatMoney(123456789, "USD")).toBe("$1,234,567.89");
  });

  it("negative amounts get a leading minus", () => {
    expect(formatMoney(-250, "USD")).toBe("-$2.50");
  });

  it("unknown currencies are refused", () => {
    expect(() => formatMoney(1, "XXX")).toThrow(/XXX/);
  });

  it("short numbers are not grouped", () => {
    expect(groupDigits("999", ",")).toBe("999");
  });
});
