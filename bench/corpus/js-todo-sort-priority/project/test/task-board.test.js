import assert from "node:assert/strict";
import { test } from "node:test";
import { groupByPriority, openTasks, rankOf, sortTasks } from "../src/task-board.js";

const tasks = [
  { title: "write docs", priority: "low", estimate: "high" },
  { title: "fix login", priority: "urgent", due: "2024-05-02" },
  { title: "deploy", priority: "urgent", due: "2024-05-01", done: true },
  { title: "review", estimate: "low" },
];

test("unknown priority ranks as normal", () => {
  assert.equal(rankOf({}), 2);
});

test("tasks sort by priority then due date", () => {
  assert.deepEqual(sortTasks(tasks).map((t) => t.title), ["deploy", "fix login", "review", "write docs"]);
});

test("done tasks are not open", () => {
  assert.deepEqual(openTasks(tasks).map((t) => t.title), ["fix login", "review", "write docs"]);
});

test("tasks are grouped by priority", () => {
  assert.deepEqual(groupByPriority(tasks), {
    urgent: ["deploy", "fix login"],
    normal: ["review"],
    low: ["write docs"],
  });
});
