import assert from "node:assert/strict";
import { test } from "node:test";
import { clampPage, pageInfo, pageWindow, totalPages } from "../src/pagination.js";

test("total pages rounds up and is at least one", () => {
  assert.equal(totalPages(51, 25), 3);
  assert.equal(totalPages(0, 25), 1);
});

test("a non-positive page size is rejected", () => {
  assert.throws(() => totalPages(10, 0), RangeError);
});

test("pages past the end are clamped to the last page", () => {
  assert.equal(clampPage(9, 3), 3);
  assert.equal(clampPage(-2, 3), 1);
});

test("the last page keeps its own number", () => {
  const info = pageInfo(60, 3, 25);
  assert.equal(info.page, 3);
  assert.equal(info.first, 51);
  assert.equal(info.last, 60);
  assert.equal(info.hasNext, false);
});

test("the window centres on the current page", () => {
  assert.deepEqual(pageWindow(5, 10), [3, 4, 5, 6, 7]);
  assert.deepEqual(pageWindow(1, 2), [1, 2]);
});
