import assert from "node:assert/strict";
import { test } from "node:test";
import { formatSeconds, percent, progressLine, secondsLeft } from "../src/progress.js";

test("percent is capped at 100", () => {
  assert.equal(percent(30, 20), 100);
  assert.equal(percent(1, 3), 33);
});

test("no work done yet means no estimate", () => {
  assert.equal(secondsLeft(0, 100, 5000), null);
});

test("estimate from the current rate", () => {
  assert.equal(secondsLeft(25, 100, 10_000), 30);
});

test("a job past its total has nothing left", () => {
  assert.equal(secondsLeft(120, 100, 10_000), 0);
});

test("formatting minutes and seconds", () => {
  assert.equal(formatSeconds(125), "2m 5s");
  assert.equal(formatSeconds(null), "estimating…");
});
