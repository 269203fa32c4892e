import assert from "node:assert/strict";
import { test } from "node:test";
import { cacheKey, ResponseCache } from "../src/response-cache.js";

test("null parameters are left out of the key", () => {
  assert.equal(cacheKey("/q", { z: null, a: 1 }), "/q?a=1");
});

test("a hit ignores parameter order", () => {
  const cache = new ResponseCache({ now: () => 0 });
  cache.set("/u", { b: 1, a: 2 }, "hit");
  assert.equal(cache.get("/u", { a: 2, b: 1 }), "hit");
  assert.equal(cache.size, 1);
});
