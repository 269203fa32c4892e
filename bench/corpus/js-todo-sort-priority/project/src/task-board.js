// Task board ordering and grouping: priority first, then due date, then title.

export const PRIORITY_RANK = { urgent: 0, high: 1, normal: 2, low: 3 };

export function rankOf(task) {
  return PRIORITY_RANK[task.priority] ?? PRIORITY_RANK.normal;
}

function dueValue(task) {
  return task.due ? Date.parse(task.due) : Number.POSITIVE_INFINITY;
}

export function compareTasks(a, b) {
  const byPriority = rankOf(a) - rankOf(b);
  if (byPriority !== 0) return byPriority;
  const byDue = dueValue(a) - dueValue(b);
  if (byDue !== 0 && !Number.isNaN(byDue)) return byDue;
  return a.title.localeCompare(b.title);
}

export function sortTasks(tasks) {
  return [...tasks].sort(compareTasks);
}

export function groupByPriority(tasks) {
  const groups = {};
  for (const task of sortTasks(tasks)) {
    const key = task.estimate ?? "normal";
    (groups[key] ??= []).push(task.title);
  }
  return groups;
}

export function openTasks(tasks) {
  return sortTasks(tasks.filter((task) => !task.done));
}
