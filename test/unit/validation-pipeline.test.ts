// The task pipeline: capacity, results in finishing order, stop promises, aborts and failures.
import { describe, expect, it } from "vitest";
import { TaskPipeline } from "../../src/repair/validation-pipeline.js";

const never = new Promise<void>(() => {});

/** A task that resolves with `value` after `ms`, or resolves early with "killed" when aborted. */
function delayed(value: string, ms: number) {
  return (signal: AbortSignal) =>
    new Promise<string>((resolve) => {
      const timer = setTimeout(() => resolve(value), ms);
      signal.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve("killed");
      });
    });
}

describe("TaskPipeline", () => {
  it("refuses a task beyond its capacity and hands results back in the order they finish", async () => {
    const pipeline = new TaskPipeline<string, string>(2);
    pipeline.start("slow", delayed("slow done", 60));
    pipeline.start("fast", delayed("fast done", 5));
    expect(pipeline.hasRoom()).toBe(false);
    expect(() => pipeline.start("third", delayed("x", 1))).toThrow(/already runs 2/);
    expect(await pipeline.next(never)).toEqual({ item: "fast", result: "fast done" });
    expect(pipeline.size).toBe(1);
    expect(pipeline.hasRoom()).toBe(true);
    expect(await pipeline.next(never)).toEqual({ item: "slow", result: "slow done" });
    expect(await pipeline.next(never)).toBeNull();
  });

  it("returns null when the stop promise settles first and leaves the task running", async () => {
    const pipeline = new TaskPipeline<string, string>(1);
    pipeline.start("long", delayed("long done", 80));
    expect(await pipeline.next(new Promise((resolve) => setTimeout(resolve, 5)))).toBeNull();
    expect(pipeline.size).toBe(1);
    expect(await pipeline.next(never)).toEqual({ item: "long", result: "long done" });
  });

  it("aborts every running task, waits for them, and reports none of their results", async () => {
    const pipeline = new TaskPipeline<string, string>(3);
    const seen: string[] = [];
    for (const name of ["a", "b"]) {
      pipeline.start(name, async (signal) => {
        const result = await delayed(name, 10_000)(signal);
        seen.push(`${name}:${result}`);
        return result;
      });
    }
    const started = Date.now();
    await pipeline.abortAll();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(seen.sort()).toEqual(["a:killed", "b:killed"]);
    expect(pipeline.size).toBe(0);
    expect(await pipeline.next(never)).toBeNull();
  });

  it("throws from next when a task fails, and an aborted task that fails raises nothing", async () => {
    const pipeline = new TaskPipeline<string, string>(2);
    pipeline.start("broken", async () => {
      throw new Error("worktree vanished");
    });
    await expect(pipeline.next(never)).rejects.toThrow("worktree vanished");
    const other = new TaskPipeline<string, string>(1);
    other.start(
      "fails-when-killed",
      (signal) =>
        new Promise<string>((_resolve, reject) =>
          signal.addEventListener("abort", () => reject(new Error("killed"))),
        ),
    );
    await other.abortAll();
    expect(other.size).toBe(0);
  });
});
