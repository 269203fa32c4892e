// Flaky-test guard: reruns only the failing tests of a run once and reports which of them passed the second time.
import type { TestRunner, TestRunnerResult, TestRunOptions } from "./types.js";

export interface RerunOutcome {
  /** Failing tests that passed on the rerun (flaky). */
  passedOnRerun: string[];
  /** Failing tests that failed again or gave no result. */
  failedAgain: string[];
  rerun: TestRunnerResult | undefined;
}

export async function rerunFailing(
  runner: TestRunner,
  result: TestRunnerResult,
  options: Omit<TestRunOptions, "testIds" | "coverage">,
): Promise<RerunOutcome> {
  const failing = result.tests.filter((test) => test.status === "failed").map((test) => test.id);
  if (failing.length === 0) return { passedOnRerun: [], failedAgain: [], rerun: undefined };
  const rerun = await runner.run({ ...options, testIds: failing });
  const passed = new Set(rerun.tests.filter((test) => test.status === "passed").map((test) => test.id));
  return {
    passedOnRerun: failing.filter((id) => passed.has(id)),
    failedAgain: failing.filter((id) => !passed.has(id)),
    rerun,
  };
}
