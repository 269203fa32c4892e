import { describe, expect, it } from "vitest";
import { orderQuantity, reorderList } from "../src/replenishment.js";

const base = { sku: "B", onHand: 20, incoming: 30, dailyDemand: 5, leadTimeDays: 7, packSize: 10 };

describe("order sizing", () => {
  it("orders whole packs up to the target", () => {
    expect(orderQuantity(base)).toBe(150);
  });

  it("the reorder list skips well-stocked products", () => {
    expect(reorderList([base, { ...base, sku: "C", onHand: 500 }])).toEqual([{ sku: "B", quantity: 150 }]);
  });
});
