import assert from "node:assert/strict";
import { test } from "node:test";
import { simpleMovingAverage, trailingAverage } from "../src/metrics-window.js";

test("window of three", () => {
  assert.deepEqual(simpleMovingAverage([3, 6, 9, 12], 3), [6, 9]);
});

test("short series averages everything it has", () => {
  assert.equal(trailingAverage([4, 8], 5), 6);
});
