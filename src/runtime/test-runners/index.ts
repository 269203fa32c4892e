// Test-runner adapters: detect or identify the runner of a project, run its tests and return per-test results.
/*
 * Runner policies (details in each adapter):
 * - Results come from a machine-readable report in a temporary directory: pytest via RFSN's plugin event stream
 *   (JUnit XML as fallback), node:test via RFSN's JSON-lines reporter (Node 20's junit reporter has no file names
 *   and writes nothing before exit), jest/vitest via their JSON report, mocha via its JSON reporter.
 * - Test ids: pytest node ids; `<file>::<describe> > <test>` for node:test, jest and vitest; `<file>::<full title>`
 *   for mocha; `<command>` for generic. Frames are innermost first, paths relative to the run's cwd.
 * - Per-test coverage: pytest traces lines in-process and node:test cuts V8 coverage at every test's start and end
 *   (one run each, `cheapCoverage`); mocha (and node:test where the cut fails, e.g. a failing test past a file's
 *   first 150) reruns up to 40 tests one by one (failing first, 2 at a time) under NODE_V8_COVERAGE. Transforms
 *   make the raw V8 offsets of jest and vitest differ from the files on disk, so those rerun through their own
 *   coverage (istanbul json, mapped back to the source): up to 4 failing tests alone, then the passing tests in 2
 *   groups; vitest only when `@vitest/coverage-v8` resolves from the project.
 * - Hangs: the run is killed at `timeoutMs`; unfinished tests fail with "did not finish within N s".
 */

import { resolveTestCommand } from "./command-resolution.js";
import { createGenericRunner } from "./generic-runner.js";
import { createJestRunner } from "./jest-runner.js";
import { createMochaRunner } from "./mocha-runner.js";
import { createNodeTestRunner } from "./node-test-runner.js";
import { createPytestRunner } from "./pytest-runner.js";
import type {
  CreateTestRunnerOptions,
  RunnerName,
  TestRunner,
  TestRunnerResult,
  TestRunOptions,
  WarmTestSession,
} from "./types.js";
import { createVitestRunner } from "./vitest-runner.js";

export { detectTestCommand, identifyRunner, resolveTestCommand } from "./command-resolution.js";
export { type RerunOutcome, rerunFailing } from "./flaky-rerun.js";
export { classifyRun } from "./run-classification.js";
export type {
  CoverageRunOptions,
  CreateTestRunnerOptions,
  LineRunCounts,
  RunnerName,
  TestCoverage,
  TestRunner,
  TestRunnerResult,
  TestRunOptions,
  WarmRunOptions,
  WarmTestSession,
} from "./types.js";
export { commandTestId, unfinishedMessage } from "./types.js";

type RunnerFactory = (argv: string[], env: Record<string, string>, projectDir: string) => TestRunner;

const FACTORIES: Record<RunnerName, RunnerFactory> = {
  pytest: createPytestRunner,
  vitest: createVitestRunner,
  jest: createJestRunner,
  mocha: createMochaRunner,
  "node-test": createNodeTestRunner,
  generic: createGenericRunner,
};

/** Leaves out tests the runner skipped only because they were not selected. */
function onlyRequested(result: TestRunnerResult, testIds: readonly string[] | undefined): TestRunnerResult {
  if (!testIds || testIds.length === 0) return result;
  const requested = new Set(testIds);
  const tests = result.tests.filter((test) => test.status !== "skipped" || requested.has(test.id));
  return tests.length === result.tests.length ? result : { ...result, tests };
}

function warmOnlyRequested(start: (cwd: string) => WarmTestSession): (cwd: string) => WarmTestSession {
  return (cwd) => {
    const session = start(cwd);
    return {
      run: async (runOptions) => onlyRequested(await session.run(runOptions), runOptions.testIds),
      runsWholeSuite: () => session.runsWholeSuite(),
      close: () => session.close(),
    };
  };
}

/**
 * A runner for `argv` in `projectDir`. npm/yarn/pnpm scripts and `npx` are resolved to the runner they start so that
 * reporter flags can be added; commands that cannot be resolved run as `generic` (exit code only).
 */
export function createTestRunner(options: CreateTestRunnerOptions): TestRunner {
  const resolved = resolveTestCommand(options.argv, options.projectDir);
  const name = options.runner ?? resolved.runner;
  const argv = name === resolved.runner ? resolved.argv : options.argv;
  const env = { ...resolved.env, ...options.env };
  const inner = FACTORIES[name](argv, env, options.projectDir);
  return {
    name: inner.name,
    argv: inner.argv,
    supportsCoverage: inner.supportsCoverage,
    cheapCoverage: inner.cheapCoverage,
    run: async (runOptions: TestRunOptions) => onlyRequested(await inner.run(runOptions), runOptions.testIds),
    ...(inner.coverageOf ? { coverageOf: inner.coverageOf } : {}),
    ...(inner.startWarmSession ? { startWarmSession: warmOnlyRequested(inner.startWarmSession) } : {}),
  };
}
