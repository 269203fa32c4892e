import assert from "node:assert/strict";
import { test } from "node:test";
import { searchLog } from "../src/log-search.js";

test("search returns context for every match", () => {
  const result = searchLog("x\nfail 1\ny\nz\nfail 2", "fail", 1);
  assert.deepEqual(result.map((m) => m.context), [["x", "fail 1", "y"], ["z", "fail 2"]]);
});

test("zero context is just the line", () => {
  assert.deepEqual(searchLog("q\nw", "w", 0)[0].context, ["w"]);
});
