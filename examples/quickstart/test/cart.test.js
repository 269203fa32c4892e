import assert from "node:assert/strict";
import { test } from "node:test";
import { bulkDiscount, orderTotal, shipping, subtotal } from "../src/cart.js";

const pens = (quantity) => [{ name: "pen", price: 2, quantity }];

test("subtotal adds up every line", () => {
  assert.equal(subtotal([...pens(3), { name: "pad", price: 5, quantity: 2 }]), 16);
});

test("no bulk discount below ten items", () => {
  assert.equal(bulkDiscount(pens(9)), 0);
});

test("the bulk discount counts items, not lines", () => {
  assert.equal(bulkDiscount([...pens(4), ...pens(5)]), 0);
});

test("ten items get the bulk discount", () => {
  assert.equal(bulkDiscount(pens(10)), 2);
});

test("shipping is free from fifty", () => {
  assert.equal(shipping(50), 0);
  assert.equal(shipping(49.99), 4.9);
});

test("order total includes discount and shipping", () => {
  assert.equal(orderTotal(pens(12)), 26.5);
});
