import assert from "node:assert/strict";
import { test } from "node:test";
import { buildQuery, withParam } from "../src/query-string.js";

test("arrays repeat their key", () => {
  assert.equal(buildQuery({ tag: ["a", "b"], x: undefined }), "?tag=a&tag=b");
});

test("withParam replaces and clears", () => {
  assert.equal(withParam("?page=3&q=hat", "page", 1), "?page=1&q=hat");
  assert.equal(withParam("?page=3&q=hat", "q", ""), "?page=3");
});
