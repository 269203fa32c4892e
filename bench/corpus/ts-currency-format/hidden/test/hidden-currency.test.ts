import { describe, expect, it } from "vitest";
import { formatMoney } from "../src/currency.js";

describe("other currencies", () => {
  it("euro style", () => {
    expect(formatMoney(1234550, "EUR")).toBe("12.345,50 €");
  });

  it("yen has no decimals", () => {
    expect(formatMoney(1000000, "JPY")).toBe("¥1,000,000");
  });
});
