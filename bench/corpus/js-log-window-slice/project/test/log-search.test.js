import assert from "node:assert/strict";
import { test } from "node:test";
import { contextWindow, findMatches, firstError } from "../src/log-search.js";

const lines = ["a", "b", "c", "ERROR d", "e", "f", "g"];

test("plain patterns are matched literally", () => {
  assert.deepEqual(findMatches(["1+1", "11"], "1+1"), [0]);
});

test("context includes lines before and after", () => {
  assert.deepEqual(contextWindow(lines, 3, 2), ["b", "c", "ERROR d", "e", "f"]);
});

test("context is clipped at the start", () => {
  assert.deepEqual(contextWindow(lines, 0, 1), ["a", "b"]);
});

test("first error line is reported", () => {
  assert.equal(firstError("ok\n  error: boom\nerror: again"), "line 2: error: boom");
  assert.equal(firstError("all good"), null);
});
