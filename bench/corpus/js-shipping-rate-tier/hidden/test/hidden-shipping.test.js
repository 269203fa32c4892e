import assert from "node:assert/strict";
import { test } from "node:test";
import { quote } from "../src/shipping.js";

test("world quote with surcharge", () => {
  assert.equal(quote("world", 3), 28.5);
});

test("exact allowance costs the base price", () => {
  assert.equal(quote("domestic", 2), 4.9);
});
