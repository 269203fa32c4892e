// Types shared by the test-runner adapters: runner names, run options, per-test coverage and the TestRunner interface.
import type { TestCaseResult, TestRunResult } from "../../core/types.js";

export type RunnerName = "pytest" | "vitest" | "jest" | "mocha" | "node-test" | "generic";

/** Lines executed by each test: testId → file (relative to the project root) → 1-based line numbers. */
export type TestCoverage = Map<string, Map<string, Set<number>>>;

/** How often each line ran over a whole run: file (relative to the project root) → 1-based line → count. */
export type LineRunCounts = Map<string, Map<number, number>>;

export interface TestRunOptions {
  /** Directory the tests run in; it is also the root that stack-frame and coverage paths are made relative to. */
  cwd: string;
  /** Run only these tests (ids from a previous result). Unknown or synthetic ids fall back to the whole suite. */
  testIds?: string[];
  timeoutMs: number;
  /** Added to the scrubbed environment of the test process. */
  env?: Record<string, string>;
  /** Collect per-test line coverage of project source files when the runner supports it. */
  coverage?: boolean;
  /** Count how often each line of project source ran over the whole run, where that costs nothing (node:test, mocha). */
  lineCounts?: boolean;
  /** Aborting kills the test process tree; the run then ends like a timeout. */
  signal?: AbortSignal;
  /** Called when the test process has started (once per process the run starts). */
  onStarted?: () => void;
}

/** How the runs of `TestRunner.coverageOf` run: each gets `timeoutMs`. */
export type CoverageRunOptions = Pick<TestRunOptions, "cwd" | "timeoutMs" | "env" | "signal">;

export type TestRunnerResult = TestRunResult & {
  coverage?: TestCoverage;
  lineCounts?: LineRunCounts;
  /** Why the command could not produce results at all (start failure, collection or configuration error). */
  setupError?: string;
};

export interface TestRunner {
  readonly name: RunnerName;
  /** The command as given (or detected), before RFSN adds its reporter flags. */
  readonly argv: readonly string[];
  /** True when `coverage: true` yields per-test coverage. */
  readonly supportsCoverage: boolean;
  /** True when coverage costs about one extra suite run or less (worth collecting on the first run). */
  readonly cheapCoverage: boolean;
  run(options: TestRunOptions): Promise<TestRunnerResult>;
  /**
   * Per-test coverage of `tests` (the results of an earlier run of the same code, whose ids and statuses choose what
   * runs) by runs of their own, without the whole-suite run that `run({ coverage: true })` makes first. Present where
   * coverage needs runs of its own (not for `cheapCoverage` runners, whose whole run yields it).
   */
  coverageOf?(tests: readonly TestCaseResult[], options: CoverageRunOptions): Promise<TestCoverage>;
  /**
   * Starts a test process kept alive in `cwd` (absent when the runner has none). Its runs answer like `run` with
   * `testIds`, but skip the runner's start-up, so the failing tests of each candidate run in a fraction of the time.
   */
  startWarmSession?(cwd: string): WarmTestSession;
}

/** A test process kept alive in one directory that runs chosen tests again and again, reading the project's code afresh each time. */
export interface WarmTestSession {
  /** Same result shape and test ids as `TestRunner.run`; a timeout or an abort kills the process, the next run starts a new one. */
  run(options: WarmRunOptions): Promise<TestRunnerResult>;
  /** Whether a run without `testIds` (the whole suite, as a cold run without ids) can run warm now. */
  runsWholeSuite(): boolean;
  /** Kills the process. */
  close(): void;
}

export interface WarmRunOptions {
  /** The tests to run; without them, the whole suite. */
  testIds?: string[];
  timeoutMs: number;
  /** Extra time the first run of a new process may take, while the process loads what it keeps warm. */
  startupTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface CreateTestRunnerOptions {
  projectDir: string;
  argv: string[];
  /** Force an adapter instead of identifying it from the command. */
  runner?: RunnerName;
  /** Environment assignments that came with the command (e.g. `NODE_ENV=test jest`). */
  env?: Record<string, string>;
}

/** Message given to tests that were still running (or never started) when the run hit its time limit. */
export function unfinishedMessage(timeoutMs: number): string {
  return `did not finish within ${Math.round(timeoutMs / 1000)} s`;
}

/** Id of the one synthetic test that stands for the whole command (generic runner, or a hang nobody can pin down). */
export function commandTestId(argv: readonly string[]): string {
  return `<${argv.join(" ")}>`;
}
