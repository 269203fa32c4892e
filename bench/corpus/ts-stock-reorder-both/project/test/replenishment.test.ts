import { describe, expect, it } from "vitest";
import { daysOfCover, needsReorder, orderQuantity, reorderPoint } from "../src/replenishment.js";

const base = { sku: "A", onHand: 100, incoming: 0, dailyDemand: 10, leadTimeDays: 4, packSize: 12 };

describe("replenishment", () => {
  it("reorder point covers lead time plus safety days", () => {
    expect(reorderPoint(base)).toBe(70);
  });

  it("plenty of stock needs no order", () => {
    expect(needsReorder(base)).toBe(false);
    expect(orderQuantity(base)).toBe(0);
  });

  it("incoming stock counts toward the reorder check", () => {
    expect(needsReorder({ ...base, onHand: 50, incoming: 40 })).toBe(false);
  });

  it("days of cover include incoming stock", () => {
    expect(daysOfCover({ ...base, onHand: 30, incoming: 25 })).toBe(5);
  });

  it("no demand means infinite cover", () => {
    expect(daysOfCover({ ...base, dailyDemand: 0 })).toBe(Number.POSITIVE_INFINITY);
  });
});
