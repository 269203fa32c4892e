import assert from "node:assert/strict";
import { test } from "node:test";
import { rateOfChange, simpleMovingAverage, trailingAverage, weightedAverage } from "../src/metrics-window.js";

test("simple moving average over a window of two", () => {
  assert.deepEqual(simpleMovingAverage([2, 4, 6, 8], 2), [3, 5, 7]);
});

test("a window of one is the series itself", () => {
  assert.deepEqual(simpleMovingAverage([5, 1], 1), [5, 1]);
});

test("rate of change skips division by zero", () => {
  assert.deepEqual(rateOfChange([0, 10, 15]), [null, 0.5]);
});

test("trailing average of the last values", () => {
  assert.equal(trailingAverage([100, 1, 2, 3], 3), 2);
  assert.equal(trailingAverage([], 3), null);
});

test("weighted average favours recent values", () => {
  assert.equal(weightedAverage([0, 3]), 2);
});
