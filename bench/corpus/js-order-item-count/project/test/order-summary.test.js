import assert from "node:assert/strict";
import { test } from "node:test";
import { lineTotal, orderTotal, summarizeOrders } from "../src/order-summary.js";

const orders = [
  { status: "paid", lines: [{ sku: "A", unitPrice: 2.5, quantity: 2 }, { sku: "B", unitPrice: 1, quantity: 1 }] },
  { status: "cancelled", lines: [{ sku: "C", unitPrice: 9, quantity: 1 }] },
  { status: "paid", lines: [{ sku: "A", unitPrice: 2.5, quantity: 4 }] },
];

test("line and order totals", () => {
  assert.equal(lineTotal({ unitPrice: 0.1, quantity: 3 }), 0.3);
  assert.equal(orderTotal(orders[0]), 6);
});

test("cancelled orders are counted separately", () => {
  const summary = summarizeOrders(orders);
  assert.equal(summary.orders, 2);
  assert.equal(summary.cancelled, 1);
});

test("revenue and distinct skus", () => {
  const summary = summarizeOrders(orders);
  assert.equal(summary.revenue, 16);
  assert.equal(summary.distinctSkus, 2);
});

test("items add up the quantities", () => {
  assert.equal(summarizeOrders(orders).items, 7);
});
