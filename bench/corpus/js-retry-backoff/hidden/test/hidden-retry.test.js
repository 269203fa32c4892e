import assert from "node:assert/strict";
import { test } from "node:test";
import { backoffDelay, withRetry } from "../src/retry.js";

test("delays are capped", () => {
  assert.equal(backoffDelay(20, { baseMs: 100, maxMs: 5000 }), 5000);
  assert.equal(backoffDelay(3, { baseMs: 100 }), 400);
});

test("withRetry waits the backoff between attempts", async () => {
  const waits = [];
  let calls = 0;
  const result = await withRetry(
    async () => {
      calls += 1;
      if (calls < 3) throw { status: 502 };
      return "done";
    },
    { sleep: async (ms) => waits.push(ms), baseMs: 50 },
  );
  assert.equal(result, "done");
  assert.deepEqual(waits, [50, 100]);
});
