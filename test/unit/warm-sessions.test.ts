// The session's warm processes: warm first, fresh when the warm process cannot run what a fresh run can.
import { describe, expect, it } from "vitest";
import { WarmSessions } from "../../src/repair/warm-sessions.js";
import type { TestRunner, TestRunnerResult } from "../../src/runtime/test-runners/index.js";
import type { Worktree } from "../../src/runtime/workspace.js";

const worktree = { dir: "/work/tree" } as Worktree;

function result(from: string, setupError?: string): TestRunnerResult {
  return {
    runner: "pytest",
    argv: [from],
    exitCode: setupError ? 2 : 1,
    signal: null,
    timedOut: false,
    durationMs: 1,
    output: "",
    tests: [],
    ...(setupError ? { setupError } : {}),
  };
}

/** A runner whose warm process and fresh runs answer with the given setup errors (none when undefined). */
function runnerAnswering(warmError: string | undefined, freshError: string | undefined, wholeSuite = true) {
  const started: string[] = [];
  const runner: TestRunner = {
    name: "pytest",
    argv: ["pytest"],
    supportsCoverage: false,
    cheapCoverage: false,
    run: async () => result("fresh", freshError),
    startWarmSession: (cwd) => {
      started.push(cwd);
      return {
        run: async () => result("warm", warmError),
        runsWholeSuite: () => wholeSuite,
        close: () => {},
      };
    },
  };
  return { runner, started };
}

describe("WarmSessions.runTests", () => {
  const options = { testIds: ["t::a"], timeoutMs: 1_000 };

  it("answers from the worktree's warm process, started once", async () => {
    const { runner, started } = runnerAnswering(undefined, undefined);
    const warm = new WarmSessions(runner);
    const runs: TestRunnerResult[] = [];
    expect((await warm.runTests(worktree, options, (run) => runs.push(run))).argv).toEqual(["warm"]);
    await warm.runTests(worktree, options, (run) => runs.push(run));
    expect(started).toEqual(["/work/tree"]);
    expect(runs).toHaveLength(2);
  });

  it("repeats a warm run that could not collect fresh, and gives warm runs up when the fresh one works", async () => {
    const { runner } = runnerAnswering("could not collect", undefined);
    const reasons: string[] = [];
    const warm = new WarmSessions(runner, (detail) => reasons.push(detail));
    const runs: TestRunnerResult[] = [];
    const answer = await warm.runTests(worktree, options, (run) => runs.push(run));
    expect(answer.argv).toEqual(["fresh"]);
    expect(runs.map((run) => run.argv[0])).toEqual(["warm", "fresh"]);
    expect(reasons).toEqual(["could not collect"]);
    expect(warm.for(worktree)).toBeUndefined();
    expect((await warm.runTests(worktree, options, () => {})).argv).toEqual(["fresh"]);
    expect(reasons).toHaveLength(1);
  });

  it("keeps warm runs when the fresh run cannot collect either (the candidate broke the tests)", async () => {
    const { runner } = runnerAnswering("syntax error", "syntax error");
    const reasons: string[] = [];
    const warm = new WarmSessions(runner, (detail) => reasons.push(detail));
    expect((await warm.runTests(worktree, options, () => {})).setupError).toBe("syntax error");
    expect(reasons).toEqual([]);
    expect(warm.for(worktree)).toBeDefined();
  });

  it("runs the whole suite warm only when the warm process can", async () => {
    const able = new WarmSessions(runnerAnswering(undefined, undefined, true).runner);
    expect((await able.runTests(worktree, { timeoutMs: 1_000 }, () => {})).argv).toEqual(["warm"]);
    const unable = new WarmSessions(runnerAnswering(undefined, undefined, false).runner);
    expect((await unable.runTests(worktree, { timeoutMs: 1_000 }, () => {})).argv).toEqual(["fresh"]);
    expect((await unable.runTests(worktree, options, () => {})).argv).toEqual(["warm"]);
  });

  it("starts no process after closing", async () => {
    const { runner, started } = runnerAnswering(undefined, undefined);
    const warm = new WarmSessions(runner);
    warm.closeAll();
    expect((await warm.runTests(worktree, options, () => {})).argv).toEqual(["fresh"]);
    expect(started).toEqual([]);
  });
});
