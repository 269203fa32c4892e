// Per-test coverage for Node runners: reruns tests one at a time under NODE_V8_COVERAGE (failing tests first, capped).
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { TestCaseResult } from "../../core/types.js";
import type { TestCoverage } from "./types.js";
import { readV8CoverageDirectory } from "./v8-coverage.js";

/** At most this many single-test runs per coverage request; the rest of the tests get no coverage. */
export const MAX_COVERAGE_RUNS = 40;
/** Single-test runs in flight at once (the machines RFSN runs on are small). */
export const COVERAGE_CONCURRENCY = 2;

/** Failing tests first (they matter most for spectrum scores), then passing ones, up to the cap; skipped never. */
export function testsForCoverage(
  tests: readonly TestCaseResult[],
  limit = MAX_COVERAGE_RUNS,
): TestCaseResult[] {
  const failing = tests.filter((test) => test.status === "failed");
  const passing = tests.filter((test) => test.status === "passed");
  return [...failing, ...passing].slice(0, limit);
}

/**
 * Runs `runOne(test, coverageDir)` for each chosen test with COVERAGE_CONCURRENCY workers; `runOne` must start the
 * test with NODE_V8_COVERAGE=coverageDir. Returns the executed project lines per test id.
 */
export async function collectPerTestCoverage(
  tests: readonly TestCaseResult[],
  workDir: string,
  root: string,
  runOne: (test: TestCaseResult, coverageDir: string) => Promise<void>,
): Promise<TestCoverage> {
  const coverage: TestCoverage = new Map();
  const chosen = testsForCoverage(tests);
  let next = 0;
  const worker = async () => {
    while (next < chosen.length) {
      const index = next;
      next += 1;
      const test = chosen[index];
      if (!test) continue;
      const coverageDir = join(workDir, `coverage-${index}`);
      await mkdir(coverageDir, { recursive: true });
      await runOne(test, coverageDir);
      coverage.set(test.id, await readV8CoverageDirectory(coverageDir, root));
    }
  };
  await Promise.all(Array.from({ length: Math.min(COVERAGE_CONCURRENCY, chosen.length) }, worker));
  return coverage;
}
