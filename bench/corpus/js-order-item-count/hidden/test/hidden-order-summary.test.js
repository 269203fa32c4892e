import assert from "node:assert/strict";
import { test } from "node:test";
import { averageBasket, summarizeOrders } from "../src/order-summary.js";

test("average basket size", () => {
  const orders = [
    { status: "paid", lines: [{ sku: "X", unitPrice: 1, quantity: 3 }] },
    { status: "paid", lines: [{ sku: "Y", unitPrice: 1, quantity: 2 }, { sku: "X", unitPrice: 1, quantity: 1 }] },
  ];
  assert.equal(averageBasket(orders), 3);
  assert.equal(summarizeOrders([]).items, 0);
});
