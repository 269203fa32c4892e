import assert from "node:assert/strict";
import { test } from "node:test";
import { splitByShares, splitEvenly, toCents, withTip } from "../src/split-bill.js";

test("amounts become whole cents", () => {
  assert.equal(toCents(12.34), 1234);
});

test("an even split hands out the leftover cent", () => {
  assert.deepEqual(splitEvenly(10, 3), [3.34, 3.33, 3.33]);
});

test("zero people is refused", () => {
  assert.throws(() => splitEvenly(10, 0), RangeError);
});

test("tip is added on top", () => {
  assert.equal(withTip(40, 15), 46);
});

test("shares split proportionally", () => {
  assert.deepEqual(splitByShares(9, [1, 2]), [3, 6]);
});
