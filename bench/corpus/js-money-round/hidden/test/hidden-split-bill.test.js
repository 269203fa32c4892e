import assert from "node:assert/strict";
import { test } from "node:test";
import { splitByShares, splitEvenly, withTip } from "../src/split-bill.js";

test("shares with leftover cents", () => {
  assert.deepEqual(splitByShares(1, [1, 1, 1]), [0.34, 0.33, 0.33]);
});

test("small tips keep their cents", () => {
  assert.equal(withTip(19.99, 10), 21.99);
  assert.deepEqual(splitEvenly(0.05, 2), [0.03, 0.02]);
});
