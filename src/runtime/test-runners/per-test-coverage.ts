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
 * Runs `runOne(tests, coverageDir)` with COVERAGE_CONCURRENCY workers; `runOne` must start those tests with
 * NODE_V8_COVERAGE=coverageDir. Failing tests run one at a time (their spectra matter most); passing tests run in
 * COVERAGE_CONCURRENCY groups whose union is recorded under the group's first test, so a line counts once per group.
 * Returns the executed project lines per test id.
 */
export async function collectPerTestCoverage(
  tests: readonly TestCaseResult[],
  workDir: string,
  root: string,
  runOne: (tests: readonly TestCaseResult[], coverageDir: string) => Promise<void>,
): Promise<TestCoverage> {
  const coverage: TestCoverage = new Map();
  const chosen = testsForCoverage(tests);
  const failing = chosen.filter((test) => test.status === "failed");
  const passing = chosen.filter((test) => test.status !== "failed");
  const groupCount = Math.min(COVERAGE_CONCURRENCY, passing.length);
  const groups: TestCaseResult[][] = [
    ...failing.map((test) => [test]),
    ...Array.from({ length: groupCount }, (_, g) => passing.filter((_, i) => i % groupCount === g)),
  ];
  let next = 0;
  const worker = async () => {
    while (next < groups.length) {
      const index = next;
      next += 1;
      const group = groups[index];
      const first = group?.[0];
      if (!group || !first) continue;
      const coverageDir = join(workDir, `coverage-${index}`);
      await mkdir(coverageDir, { recursive: true });
      await runOne(group, coverageDir);
      coverage.set(first.id, await readV8CoverageDirectory(coverageDir, root));
    }
  };
  await Promise.all(Array.from({ length: Math.min(COVERAGE_CONCURRENCY, groups.length) }, worker));
  return coverage;
}
