import assert from "node:assert/strict";
import { test } from "node:test";
import { buildQuery, parseQuery } from "../src/query-string.js";

test("keys are sorted and values encoded", () => {
  assert.equal(buildQuery({ q: "red shoes", page: 2 }), "?page=2&q=red%20shoes");
});

test("empty values are left out", () => {
  assert.equal(buildQuery({ q: "", tag: null, page: 1 }), "?page=1");
});

test("no parameters is an empty string", () => {
  assert.equal(buildQuery({}), "");
});

test("parsing decodes plus signs and repeats", () => {
  assert.deepEqual(parseQuery("?q=a+b&tag=x&tag=y"), { q: "a b", tag: ["x", "y"] });
});
