// Validates one candidate patch in a worktree: failing tests first (when that is cheaper), then the full suite against the baseline.
import type { Proposal, TestCaseResult, TestRunResult, ValidationRejection } from "../core/types.js";
import { effectsDisagreement, gitApplyEffects } from "../runtime/git-apply-effects.js";
import type { TestRunner, TestRunnerResult, WarmRunOptions } from "../runtime/test-runners/index.js";
import type { Worktree } from "../runtime/workspace.js";

export interface ValidationPlan {
  runner: TestRunner;
  /** Ids of the tests that fail at the base state and must pass. */
  failingIds: readonly string[];
  /** Ids of the tests that passed at the base state and must keep passing. */
  passingIds: ReadonlySet<string>;
  /** Ids of tests the flaky guard found flaky: how they end in the whole suite does not count. */
  flakyIds?: ReadonlySet<string>;
  /** True when the runner reports no individual tests (exit code only). */
  exitCodeOnly: boolean;
  failingTimeoutMs: number;
  suiteTimeoutMs: number;
  /** Skip the run of the failing tests alone (when it costs about as much as the whole suite). */
  suiteOnly?: boolean;
  /** Diff already adopted by the session (a partial fix), applied before the candidate. */
  baseDiff: string;
  /**
   * Called as the whole suite starts to run for this candidate once its failing tests passed (it may be plausible
   * now); not with `suiteOnly`, where that is not known before the run ends.
   */
  onWholeSuite?: () => void;
  /** Called after every test run, for counters and metrics. */
  onTestRun?: (run: TestRunResult) => void;
  /**
   * Runs tests in a worktree (the failing ones, or without ids the whole suite), e.g. in a kept-alive test process,
   * reporting every run to `onRun`; default: a fresh run of `runner`.
   */
  runTests?: (
    worktree: Worktree,
    options: WarmRunOptions,
    onRun: (run: TestRunnerResult) => void,
  ) => Promise<TestRunnerResult>;
}

/**
 * How much longer than the failing tests alone a whole-suite run may take, as a share of the suite's run (and at
 * least `WHOLE_SUITE_EXTRA_MS`): a candidate the suite rejects pays that much more, a plausible one saves a run.
 */
const WHOLE_SUITE_EXTRA_SHARE = 0.05;
const WHOLE_SUITE_EXTRA_MS = 10;

/**
 * The time the tests other than `failing` take in all, or undefined when one's time is unknown. The first test of a
 * file also pays for the file's first calls (compiling the code under test), which a run of the failing tests alone
 * pays as well: it counts as no slower than its file's slowest other test.
 */
function otherTestsMs(tests: readonly TestCaseResult[], failing: ReadonlySet<string>): number | undefined {
  const byFile = new Map<string | undefined, TestCaseResult[]>();
  for (const test of tests) {
    const inFile = byFile.get(test.file);
    if (inFile) inFile.push(test);
    else byFile.set(test.file, [test]);
  }
  let othersMs = 0;
  for (const [first, ...rest] of byFile.values()) {
    const slowestRestMs = Math.max(0, ...rest.map((test) => test.durationMs ?? 0));
    for (const test of [first, ...rest]) {
      if (!test || failing.has(test.id)) continue;
      if (test.durationMs === undefined) return undefined;
      othersMs += test === first ? Math.min(test.durationMs, slowestRestMs) : test.durationMs;
    }
  }
  return othersMs;
}

/**
 * Whether a run of the whole suite costs about what a run of the failing tests alone does: every test file holds a
 * failing test (a runner starts the same files either way) and the other tests add little to the run. Then one run
 * judges a candidate that fixes the failing tests instead of two.
 */
export function wholeSuiteCostsAsMuch(
  run: Pick<TestRunnerResult, "tests" | "durationMs">,
  failingIds: readonly string[],
): boolean {
  const failing = new Set(failingIds);
  const failingFiles = new Set(run.tests.filter((test) => failing.has(test.id)).map((test) => test.file));
  if (
    failingFiles.size === 0 ||
    run.tests.some((test) => test.file === undefined || !failingFiles.has(test.file))
  )
    return false;
  const othersMs = otherTestsMs(run.tests, failing);
  return (
    othersMs !== undefined &&
    othersMs <= Math.max(WHOLE_SUITE_EXTRA_MS, WHOLE_SUITE_EXTRA_SHARE * run.durationMs)
  );
}

interface ValidationCost {
  testRuns: number;
  durationMs: number;
  /** How long the run of the failing tests alone took, when there was one. */
  focusedRunMs?: number;
}

export type ValidationResult = ValidationCost &
  (
    | { kind: "plausible"; diff: string }
    | { kind: "partial"; diff: string; fixed: string[] }
    | { kind: ValidationRejection; detail: string }
  );

function failedIds(run: TestRunResult): Set<string> {
  return new Set(run.tests.filter((test) => test.status === "failed").map((test) => test.id));
}

function passedIds(run: TestRunResult): Set<string> {
  return new Set(run.tests.filter((test) => test.status === "passed").map((test) => test.id));
}

/** Applies the base diff and the proposal, then decides plausible / partial / rejected. */
export async function validateCandidate(
  worktree: Worktree,
  proposal: Proposal,
  plan: ValidationPlan,
  clock: () => number = Date.now,
  signal?: AbortSignal,
): Promise<ValidationResult> {
  const started = clock();
  let testRuns = 0;
  const elapsed = () => clock() - started;
  const counted = (result: TestRunnerResult) => {
    testRuns += 1;
    plan.onTestRun?.(result);
    return result;
  };
  /** Runs the given tests, or the whole suite without ids. */
  const run = async (testIds: readonly string[] | undefined, timeoutMs: number) => {
    const options = {
      timeoutMs,
      ...(testIds ? { testIds: [...testIds] } : {}),
      ...(signal ? { signal } : {}),
    };
    if (plan.runTests)
      return plan.runTests(worktree, { ...options, startupTimeoutMs: plan.suiteTimeoutMs }, counted);
    return counted(await plan.runner.run({ cwd: worktree.dir, ...options }));
  };

  try {
    if (plan.baseDiff) await worktree.applyDiff(plan.baseDiff);
    // A second, independent reading of the patch: git's own report of what it would touch on this tree.
    const disagreement = effectsDisagreement(
      proposal.diff,
      await gitApplyEffects(proposal.diff, worktree.dir),
    );
    if (disagreement) {
      return {
        kind: "apply_failed",
        detail: `git and the gate read the patch differently: ${disagreement}`,
        testRuns,
        durationMs: elapsed(),
      };
    }
    await worktree.applyDiff(proposal.diff);
  } catch (error) {
    return { kind: "apply_failed", detail: (error as Error).message, testRuns, durationMs: elapsed() };
  }

  if (plan.exitCodeOnly) {
    const suite = await run(undefined, plan.suiteTimeoutMs);
    if (suite.timedOut)
      return { kind: "timeout", detail: "the test command timed out", testRuns, durationMs: elapsed() };
    if (suite.exitCode !== 0) {
      return { kind: "tests_failed", detail: `exit code ${suite.exitCode}`, testRuns, durationMs: elapsed() };
    }
    return { kind: "plausible", diff: await worktree.currentDiff(), testRuns, durationMs: elapsed() };
  }

  // The failing tests first (a cheap rejection for most candidates), unless that costs as much as the suite.
  let suite: TestRunResult | undefined;
  let checked: TestRunResult;
  let focusedRunMs: number | undefined;
  const cost = () => ({
    testRuns,
    durationMs: elapsed(),
    ...(focusedRunMs === undefined ? {} : { focusedRunMs }),
  });
  if (plan.suiteOnly) {
    suite = await run(undefined, plan.suiteTimeoutMs);
    if (suite.timedOut) return { kind: "timeout", detail: "the full suite timed out", ...cost() };
    checked = suite;
  } else {
    checked = await run(plan.failingIds, plan.failingTimeoutMs);
    focusedRunMs = checked.durationMs;
    if (checked.timedOut) {
      return {
        kind: "timeout",
        detail: `failing tests did not finish in ${plan.failingTimeoutMs} ms`,
        ...cost(),
      };
    }
  }
  const nowPassing = passedIds(checked);
  const fixed = plan.failingIds.filter((id) => nowPassing.has(id));
  if (fixed.length === 0) {
    const wanted = new Set(plan.failingIds);
    const first = checked.tests.find((test) => test.status === "failed" && wanted.has(test.id));
    return {
      kind: "tests_failed",
      detail: first
        ? `${first.name}: ${(first.message ?? "failed").split("\n")[0]}`
        : "the failing tests still fail",
      ...cost(),
    };
  }
  if (fixed.length < plan.failingIds.length) {
    return { kind: "partial", diff: await worktree.currentDiff(), fixed, ...cost() };
  }

  if (!suite) {
    plan.onWholeSuite?.();
    suite = await run(undefined, plan.suiteTimeoutMs);
  }
  if (suite.timedOut) return { kind: "timeout", detail: "the full suite timed out", ...cost() };
  const failing = failedIds(suite);
  const flakyFailed = [...(plan.flakyIds ?? [])].filter((id) => failing.delete(id)).length > 0;
  const broken = [...plan.passingIds].filter((id) => failing.has(id));
  if (broken.length > 0) {
    return {
      kind: "regression",
      detail: `breaks ${broken.slice(0, 3).join(", ")}`,
      ...cost(),
    };
  }
  if (failing.size > 0) {
    return {
      kind: "tests_failed",
      detail: `full suite still fails: ${[...failing].slice(0, 3).join(", ")}`,
      ...cost(),
    };
  }
  // A failing flaky test explains a failing exit code.
  if (suite.exitCode !== 0 && !flakyFailed) {
    return {
      kind: "tests_failed",
      detail: `full suite exited with ${suite.exitCode ?? suite.signal}`,
      ...cost(),
    };
  }
  return { kind: "plausible", diff: await worktree.currentDiff(), ...cost() };
}
