import { describe, expect, it } from "vitest";
import { PriorityQueue } from "../src/priority-queue.js";

describe("job scheduling", () => {
  it("jobs come out by due time", () => {
    const queue = new PriorityQueue<{ id: string; due: number }>((a, b) => a.due - b.due);
    const jobs = [30, 10, 50, 20, 40, 60, 5].map((due) => ({ id: `j${due}`, due }));
    for (const job of jobs) queue.push(job);
    const order: string[] = [];
    for (let job = queue.pop(); job; job = queue.pop()) order.push(job.id);
    expect(order).toEqual(["j5", "j10", "j20", "j30", "j40", "j50", "j60"]);
  });
});
