import assert from "node:assert/strict";
import { test } from "node:test";
import { clampPage, pageInfo, pageWindow } from "../src/pagination.js";

test("the second of two pages is valid", () => {
  assert.equal(clampPage(2, 2), 2);
  assert.equal(pageInfo(30, 2, 25).first, 26);
});

test("a window at the end reaches the last page", () => {
  assert.deepEqual(pageWindow(9, 10), [6, 7, 8, 9, 10]);
  assert.deepEqual(pageWindow(1, 1), [1]);
});
