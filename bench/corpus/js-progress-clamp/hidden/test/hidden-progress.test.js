import assert from "node:assert/strict";
import { test } from "node:test";
import { progressLine } from "../src/progress.js";

test("an overshooting job prints zero seconds left", () => {
  assert.equal(progressLine({ name: "users", done: 11, total: 10, elapsedMs: 1000 }), "users: 100% (0s left)");
});

test("a normal job prints its estimate", () => {
  assert.equal(progressLine({ name: "orders", done: 50, total: 200, elapsedMs: 60_000 }), "orders: 25% (3m 0s left)");
});
