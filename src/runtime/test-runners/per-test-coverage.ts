// Per-test coverage by reruns: failing tests one at a time, passing tests in a few groups, each with its own coverage directory.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { TestCaseResult } from "../../core/types.js";
import { grantToSandboxedRuns } from "../sandbox/session-sandbox.js";
import type { TestCoverage } from "./types.js";
import { readV8CoverageDirectory } from "./v8-coverage.js";

/** At most this many single-test runs per coverage request; the rest of the tests get no coverage. */
export const MAX_COVERAGE_RUNS = 40;
/** Single-test runs in flight at once (the machines RFSN runs on are small). */
export const COVERAGE_CONCURRENCY = 2;

/** Reads the executed project lines (paths relative to `root`) that one run left in its coverage directory. */
export type CoverageDirectoryReader = (
  coverageDir: string,
  root: string,
) => Promise<Map<string, Set<number>>>;

export interface CoverageSchedule {
  /** How the coverage directory is read; V8 precise coverage (NODE_V8_COVERAGE) when not given. */
  readCoverage?: CoverageDirectoryReader;
  /** Tests chosen in all (failing first); MAX_COVERAGE_RUNS when not given. */
  maxTests?: number;
  /** Failing tests that get a run of their own; the others get no coverage. No limit besides `maxTests` when not given. */
  maxFailing?: number;
}

/** Failing tests first (they matter most for spectrum scores), then passing ones, up to the caps; skipped never. */
export function testsForCoverage(
  tests: readonly TestCaseResult[],
  limit = MAX_COVERAGE_RUNS,
  maxFailing = limit,
): TestCaseResult[] {
  const failing = tests.filter((test) => test.status === "failed").slice(0, maxFailing);
  const passing = tests.filter((test) => test.status === "passed");
  return [...failing, ...passing].slice(0, limit);
}

/**
 * Runs `runOne(tests, coverageDir)` with COVERAGE_CONCURRENCY workers; `runOne` must start those tests so that they
 * leave their coverage in coverageDir (by default as NODE_V8_COVERAGE files; see `schedule.readCoverage`). Failing
 * tests run one at a time (their spectra matter most); passing tests run in COVERAGE_CONCURRENCY groups whose union
 * is recorded under the group's first test, so a line counts once per group. Returns the executed project lines per test id.
 */
export async function collectPerTestCoverage(
  tests: readonly TestCaseResult[],
  workDir: string,
  root: string,
  runOne: (tests: readonly TestCaseResult[], coverageDir: string) => Promise<void>,
  schedule: CoverageSchedule = {},
): Promise<TestCoverage> {
  const coverage: TestCoverage = new Map();
  const readCoverage = schedule.readCoverage ?? readV8CoverageDirectory;
  const chosen = testsForCoverage(tests, schedule.maxTests, schedule.maxFailing);
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
      grantToSandboxedRuns(coverageDir, root);
      await runOne(group, coverageDir);
      coverage.set(first.id, await readCoverage(coverageDir, root));
    }
  };
  await Promise.all(Array.from({ length: Math.min(COVERAGE_CONCURRENCY, groups.length) }, worker));
  return coverage;
}
