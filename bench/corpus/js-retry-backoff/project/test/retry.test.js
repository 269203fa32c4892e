import assert from "node:assert/strict";
import { test } from "node:test";
import { backoffDelay, isRetryable, retryAfterMs, withRetry } from "../src/retry.js";

test("server errors and resets are retryable, client errors are not", () => {
  assert.equal(isRetryable({ status: 503 }), true);
  assert.equal(isRetryable({ code: "ECONNRESET" }), true);
  assert.equal(isRetryable({ status: 404 }), false);
});

test("the first retry waits the base delay", () => {
  assert.equal(backoffDelay(1), 200);
});

test("delays double with every attempt", () => {
  assert.deepEqual([1, 2, 3, 4].map((n) => backoffDelay(n)), [200, 400, 800, 1600]);
});

test("retry-after header is in seconds", () => {
  assert.equal(retryAfterMs({ "retry-after": "3" }), 3000);
  assert.equal(retryAfterMs({}), null);
});

test("withRetry gives up on a non-retryable error", async () => {
  const waits = [];
  await assert.rejects(
    withRetry(async () => Promise.reject({ status: 400 }), { sleep: async (ms) => waits.push(ms) }),
  );
  assert.deepEqual(waits, []);
});
