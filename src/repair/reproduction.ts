// The reproduce phase: one baseline run of the suite, then the flaky guard's immediate re-run of what failed.
import { clamp } from "../core/clamp.js";
import type { PooledCoverage } from "../core/suspiciousness.js";
import type { TestCaseResult, TestRunResult } from "../core/types.js";
import {
  classifyRun,
  type LineRunCounts,
  type TestRunner,
  type TestRunnerResult,
} from "../runtime/test-runners/index.js";

export type Reproduction =
  | { kind: "cannot_run"; reason: string; baselineRun: TestRunnerResult }
  | { kind: "no_failure"; baselineRun: TestRunnerResult }
  | { kind: "flaky"; reason: string; baselineRun: TestRunnerResult; failing: TestCaseResult[] }
  | {
      kind: "failing";
      baselineRun: TestRunnerResult;
      /** Tests that failed twice in a row (flaky ones left out). */
      failing: TestCaseResult[];
      flaky: TestCaseResult[];
      /** How long the failing tests took on their own (the whole baseline when they were not re-run). */
      failingRunMs: number;
      /** What the failing tests ran and what the others ran, from line counts of both runs (node:test, mocha). */
      pooledCoverage?: PooledCoverage;
    };

export interface ReproductionInput {
  runner: TestRunner;
  cwd: string;
  /** Milliseconds left in the session's budget. */
  remainingMs: () => number;
  onTestRun: (run: TestRunResult) => void;
  /**
   * Runs the failing tests again (e.g. in a kept-alive test process), reporting every run to `onRun`, or answers
   * undefined when it cannot stand in for a re-run in `cwd`; default: `runner.run` with their ids in `cwd`.
   */
  rerun?: (
    testIds: string[],
    timeoutMs: number,
    onRun: (run: TestRunResult) => void,
  ) => Promise<TestRunnerResult | undefined>;
  /** Called when the baseline's test process has started. */
  onBaselineStarted?: () => void;
}

/** The baseline alone: a settled outcome, or failing tests the flaky guard's re-run has yet to confirm. */
export type BaselineVerdict =
  | { kind: "settled"; reproduction: Reproduction }
  | { kind: "unconfirmed"; baselineRun: TestRunnerResult; failing: TestCaseResult[] };

/** The baseline first gets at most this long: a hang costs this much, not a third of the budget. */
export const FIRST_BASELINE_TIMEOUT_MS = 20_000;

/**
 * Whether a run that timed out may have been making progress (its finished tests took at least half the time, or no
 * test is known to have started), so a longer run may finish it: a slow suite, not a hang. A hang leaves most of the
 * time to one unfinished test.
 */
export function progressingWhenStopped(run: Pick<TestRunnerResult, "tests" | "durationMs">): boolean {
  // Only the whole command's stand-in test: nothing says a test had even started (a slow start looks the same).
  const known = run.tests.filter((test) => !(test.file === undefined && /^<.*>$/.test(test.id)));
  if (known.length === 0) return true;
  const finishedMs = known.reduce((sum, test) => sum + (test.durationMs ?? 0), 0);
  return finishedMs >= run.durationMs / 2;
}

/** Runs the whole suite once at the current state and says what that alone settles. */
export async function runBaseline(input: ReproductionInput): Promise<BaselineVerdict> {
  const { runner, cwd } = input;
  const fullTimeoutMs = clamp(input.remainingMs() / 3, 5_000, 10 * 60_000);
  const runOnce = async (timeoutMs: number, first: boolean) => {
    const run = await runner.run({
      cwd,
      timeoutMs,
      coverage: runner.cheapCoverage,
      lineCounts: true,
      ...(first && input.onBaselineStarted ? { onStarted: input.onBaselineStarted } : {}),
    });
    input.onTestRun(run);
    return run;
  };
  const firstTimeoutMs = Math.min(fullTimeoutMs, FIRST_BASELINE_TIMEOUT_MS);
  let baselineRun = await runOnce(firstTimeoutMs, true);
  // A suite still running its tests when stopped is slow, not hung: it gets the whole baseline timeout once.
  if (baselineRun.timedOut && firstTimeoutMs < fullTimeoutMs && progressingWhenStopped(baselineRun))
    baselineRun = await runOnce(fullTimeoutMs, false);
  if (classifyRun(baselineRun) === "cannot_run") {
    const why = [baselineRun.setupError, baselineRun.output.slice(-4000)].filter(Boolean).join("\n");
    const reason = `the test command cannot run: ${why}`;
    return { kind: "settled", reproduction: { kind: "cannot_run", reason, baselineRun } };
  }
  const failing = baselineRun.tests.filter((test) => test.status === "failed");
  if (failing.length === 0) return { kind: "settled", reproduction: { kind: "no_failure", baselineRun } };
  // A hung suite is a failure to repair as it is: re-running it would only hang again.
  if (baselineRun.timedOut) {
    const reproduction: Reproduction = {
      kind: "failing",
      baselineRun,
      failing,
      flaky: [],
      failingRunMs: baselineRun.durationMs,
    };
    return { kind: "settled", reproduction };
  }
  return { kind: "unconfirmed", baselineRun, failing };
}

/** The flaky guard: runs the baseline's failing tests again at once; those that pass now are flaky. */
export async function confirmFailure(
  input: ReproductionInput,
  baselineRun: TestRunnerResult,
  failing: TestCaseResult[],
): Promise<Extract<Reproduction, { kind: "flaky" | "failing" }>> {
  const { runner, cwd } = input;
  const rerunTimeoutMs = clamp(baselineRun.durationMs * 3 + 2_000, 5_000, input.remainingMs());
  const failingIds = failing.map((test) => test.id);
  const freshRerun = async (testIds: string[], timeoutMs: number, onRun: (run: TestRunResult) => void) => {
    const run = await runner.run({
      cwd,
      timeoutMs,
      lineCounts: true,
      ...(runner.name === "generic" ? {} : { testIds }),
    });
    onRun(run);
    return run;
  };
  const standIn = runner.name === "generic" ? undefined : input.rerun;
  const rerun =
    (await standIn?.(failingIds, rerunTimeoutMs, input.onTestRun)) ??
    (await freshRerun(failingIds, rerunTimeoutMs, input.onTestRun));
  const passedNow = new Set(rerun.tests.filter((test) => test.status === "passed").map((test) => test.id));
  const flaky = failing.filter((test) => passedNow.has(test.id));
  if (flaky.length === failing.length) {
    return {
      kind: "flaky",
      reason: `${flaky.map((test) => test.name).join(", ")} failed once and passed on an immediate re-run`,
      baselineRun,
      failing,
    };
  }
  const pooled =
    baselineRun.lineCounts && rerun.lineCounts
      ? pooledCoverage(baselineRun.lineCounts, rerun.lineCounts)
      : undefined;
  return {
    kind: "failing",
    baselineRun,
    failing: failing.filter((test) => !passedNow.has(test.id)),
    flaky,
    failingRunMs: rerun.durationMs,
    ...(pooled ? { pooledCoverage: pooled } : {}),
  };
}

/**
 * Lines the failing tests ran (those the re-run of the failing tests alone ran), and lines some passing test ran
 * (those the whole suite ran more often than the failing tests alone).
 */
export function pooledCoverage(suite: LineRunCounts, failingOnly: LineRunCounts): PooledCoverage {
  const failing = new Map<string, Set<number>>();
  const passing = new Map<string, Set<number>>();
  const add = (target: Map<string, Set<number>>, file: string, line: number) => {
    const lines = target.get(file) ?? new Set<number>();
    lines.add(line);
    target.set(file, lines);
  };
  for (const [file, counts] of suite) {
    const failingCounts = failingOnly.get(file);
    for (const [line, count] of counts) {
      const byFailing = failingCounts?.get(line) ?? 0;
      if (byFailing > 0) add(failing, file, line);
      if (count > byFailing) add(passing, file, line);
    }
  }
  return { failing, passing };
}
