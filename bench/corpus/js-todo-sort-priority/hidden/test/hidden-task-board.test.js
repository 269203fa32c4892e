import assert from "node:assert/strict";
import { test } from "node:test";
import { groupByPriority } from "../src/task-board.js";

test("grouping ignores estimates", () => {
  const grouped = groupByPriority([
    { title: "a", priority: "high", estimate: "low" },
    { title: "b", priority: "high" },
  ]);
  assert.deepEqual(grouped, { high: ["a", "b"] });
});
