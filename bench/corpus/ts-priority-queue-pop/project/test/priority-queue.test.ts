import { describe, expect, it } from "vitest";
import { PriorityQueue } from "../src/priority-queue.js";

const byNumber = (a: number, b: number) => a - b;

describe("PriorityQueue", () => {
  it("is empty at first", () => {
    const queue = new PriorityQueue(byNumber);
    expect(queue.size).toBe(0);
    expect(queue.pop()).toBeUndefined();
  });

  it("peek shows the smallest item", () => {
    const queue = new PriorityQueue(byNumber);
    for (const n of [5, 2, 8]) queue.push(n);
    expect(queue.peek()).toBe(2);
  });

  it("pops items in ascending order", () => {
    const queue = new PriorityQueue(byNumber);
    for (const n of [7, 3, 9, 1, 4]) queue.push(n);
    const out: number[] = [];
    while (queue.size > 0) out.push(queue.pop() as number);
    expect(out).toEqual([1, 3, 4, 7, 9]);
  });
});
