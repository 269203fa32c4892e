import assert from "node:assert/strict";
import { test } from "node:test";
import { cacheKey, normalizeParams, ResponseCache } from "../src/response-cache.js";

test("normalized params drop empty values and sort keys", () => {
  assert.deepEqual(normalizeParams({ b: 2, a: "x", c: undefined }), [
    ["a", "x"],
    ["b", "2"],
  ]);
});

test("a path without params is its own key", () => {
  assert.equal(cacheKey("/items"), "/items");
});

test("parameter order does not change the key", () => {
  assert.equal(cacheKey("/items", { page: 2, sort: "name" }), cacheKey("/items", { sort: "name", page: 2 }));
});

test("entries expire after the ttl", () => {
  let clock = 0;
  const cache = new ResponseCache({ ttlMs: 100, now: () => clock });
  cache.set("/a", {}, "A");
  clock = 99;
  assert.equal(cache.get("/a", {}), "A");
  clock = 100;
  assert.equal(cache.get("/a", {}), undefined);
});
