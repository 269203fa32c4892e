// Turns what a pytest run left behind (RFSN's event stream, the JUnit fallback, its exit) into per-test results.
import { isProjectSourcePath } from "../../core/source-paths.js";
import type { StackFrame, TestCaseResult } from "../../core/types.js";
import { type JunitTestCase, parseJunitReport } from "./junit-report.js";
import type { PytestInvocation } from "./pytest-invocation.js";
import { MAX_FRAMES, parsePythonTraceback, projectRelativePath } from "./stack-frames.js";
import { parseJsonLines, readReport } from "./test-process.js";
import type { TestCoverage, TestRunnerResult } from "./types.js";
import { withUnfinishedTests } from "./unfinished-tests.js";

interface PytestEvent {
  event: string;
  nodeid?: string;
  when?: string;
  outcome?: string;
  duration?: number;
  longrepr?: string;
  message?: string;
  frames?: { file: string; line: number; function?: string }[];
}

function isRunnerInternal(file: string): boolean {
  return /[\\/](_pytest|pluggy)[\\/]/.test(file) || /[\\/]pytest[\\/]__main__\.py$/.test(file);
}

function framesFromEvent(event: PytestEvent, root: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const raw of [...(event.frames ?? [])].reverse()) {
    if (isRunnerInternal(raw.file)) continue;
    const frame: StackFrame = { file: projectRelativePath(raw.file, root), line: raw.line };
    if (raw.function && raw.function !== "<module>") frame.functionName = raw.function;
    frames.push(frame);
  }
  return frames.slice(0, MAX_FRAMES);
}

function testName(nodeid: string): string {
  const parts = nodeid.split("::");
  return parts.slice(1).join("::") || nodeid;
}

interface EventSummary {
  tests: TestCaseResult[];
  collectionErrors: TestCaseResult[];
  started: string[];
  finished: boolean;
}

/** Folds the plugin's per-phase records into one result per test. */
export function summarizePytestEvents(records: Record<string, unknown>[], root: string): EventSummary {
  const byId = new Map<string, TestCaseResult>();
  const collectionErrors: TestCaseResult[] = [];
  const started: string[] = [];
  const decided = new Set<string>();
  let finished = false;
  for (const record of records as unknown as PytestEvent[]) {
    if (record.event === "finish") finished = true;
    if (!record.nodeid && record.event !== "collect_error") continue;
    const nodeid = record.nodeid ?? "";
    if (record.event === "start") {
      started.push(nodeid);
      continue;
    }
    if (record.event === "collect_error") {
      const longrepr = record.longrepr ?? "";
      collectionErrors.push({
        id: nodeid || "<collection>",
        name: nodeid || "collection",
        ...(nodeid ? { file: nodeid.split("::")[0] } : {}),
        status: "failed",
        message: longrepr.trim() || "collection error",
        frames: parsePythonTraceback(longrepr, root),
      });
      continue;
    }
    if (record.event !== "report") continue;
    let test = byId.get(nodeid);
    if (!test) {
      // "skipped" stands for "no verdict yet" until a phase decides; tests left without one are unfinished.
      test = {
        id: nodeid,
        name: testName(nodeid),
        file: nodeid.split("::")[0] ?? nodeid,
        status: "skipped",
        frames: [],
      };
      byId.set(nodeid, test);
    }
    test.durationMs = (test.durationMs ?? 0) + Math.round((record.duration ?? 0) * 1000);
    if (record.outcome === "failed") {
      if (test.status !== "failed" || !decided.has(nodeid)) {
        test.status = "failed";
        const detail = record.longrepr ?? "";
        const headline = record.message ?? detail.trim().split("\n").pop() ?? "failed";
        test.message = record.when === "call" ? headline : `error in ${record.when}: ${headline}`;
        const frames = framesFromEvent(record, root);
        test.frames = frames.length > 0 ? frames : parsePythonTraceback(detail, root);
      }
      decided.add(nodeid);
    } else if (record.outcome === "skipped") {
      if (!decided.has(nodeid)) test.status = "skipped";
      if (record.message && !decided.has(nodeid)) test.message = record.message;
      decided.add(nodeid);
    } else if (record.when === "call" && !decided.has(nodeid)) {
      test.status = "passed";
      decided.add(nodeid);
    }
  }
  const tests = [...byId.values()].filter((test) => decided.has(test.id));
  return { tests, collectionErrors, started, finished };
}

/** The node id of a JUnit test case (needs `junit_family=xunit1` for the `file` attribute). */
function junitNodeId(testCase: JunitTestCase): string {
  const file = testCase.file ?? `${testCase.classname.split(".").join("/")}.py`;
  const modulePath = file.replace(/\.py$/, "").split("/").join(".");
  const classes = testCase.classname.startsWith(`${modulePath}.`)
    ? testCase.classname.slice(modulePath.length + 1).split(".")
    : [];
  return [file, ...classes, testCase.name].join("::");
}

/** Results from pytest's JUnit report, used when the plugin's event stream is missing. */
export function testsFromJunit(xml: string, root: string): TestCaseResult[] {
  return parseJunitReport(xml).map((testCase) => {
    const id = junitNodeId(testCase);
    const test: TestCaseResult = {
      id,
      name: testName(id),
      file: id.split("::")[0] ?? id,
      status: testCase.status,
      frames: testCase.status === "failed" ? parsePythonTraceback(testCase.details ?? "", root) : [],
    };
    if (testCase.message !== undefined && testCase.status !== "passed") test.message = testCase.message;
    if (testCase.timeSeconds !== undefined) test.durationMs = Math.round(testCase.timeSeconds * 1000);
    return test;
  });
}

/** Per-test coverage from the plugin's trace file, restricted to project source files. */
export function coverageFromTrace(json: string | undefined): TestCoverage | undefined {
  if (json === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== "object") return undefined;
  const coverage: TestCoverage = new Map();
  for (const [testId, files] of Object.entries(parsed as Record<string, Record<string, number[]>>)) {
    const perFile = new Map<string, Set<number>>();
    for (const [file, lines] of Object.entries(files)) {
      if (isProjectSourcePath(file) && Array.isArray(lines)) perFile.set(file, new Set(lines));
    }
    coverage.set(testId, perFile);
  }
  return coverage;
}

const PYTEST_EXIT_USAGE = 4;
const PYTEST_EXIT_INTERNAL = 3;
const PYTEST_EXIT_NO_TESTS = 5;

function pytestSetupError(
  startError: string | undefined,
  exitCode: number | null,
  executed: number,
  summary: EventSummary,
): string | undefined {
  if (startError) return startError;
  if (executed > 0) return undefined;
  if (summary.collectionErrors.length > 0) {
    return `pytest could not collect the tests: ${summary.collectionErrors.map((error) => error.id).join(", ")}`;
  }
  if (exitCode === PYTEST_EXIT_NO_TESTS) return "pytest found no tests";
  if (exitCode === PYTEST_EXIT_USAGE) return "pytest rejected its command line or configuration";
  if (exitCode === PYTEST_EXIT_INTERNAL) return "pytest stopped with an internal error";
  if (exitCode !== 0) return `pytest exited with code ${exitCode} before running any test`;
  return undefined;
}

/** How the process (cold) or the request (warm) of a pytest run ended. */
export interface PytestRunOutcome {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  durationMs: number;
  output: string;
  /** Set when the command could not be started at all. */
  startError?: string | undefined;
}

export interface PytestRunResultInput {
  /** The command as given (for the synthetic whole-command test of a hang). */
  argv: readonly string[];
  invocation: PytestInvocation;
  outcome: PytestRunOutcome;
  /** The run's cwd, which frames are made relative to. */
  cwd: string;
  timeoutMs: number;
}

/** The result of a finished (or killed) pytest run, read from its report files; tests left unfinished by a timeout fail. */
export async function pytestRunResult(input: PytestRunResultInput): Promise<TestRunnerResult> {
  const { invocation, outcome, cwd } = input;
  const summary = summarizePytestEvents(parseJsonLines(await readReport(invocation.eventsPath)), cwd);
  let tests = summary.tests;
  if (tests.length === 0 && summary.collectionErrors.length === 0) {
    const junit = await readReport(invocation.junitPath);
    if (junit) tests = testsFromJunit(junit, cwd);
  }
  const executed = tests.length;
  tests = [...tests, ...summary.collectionErrors];
  const finishedIds = new Set(tests.map((test) => test.id));
  tests = withUnfinishedTests({
    tests,
    timedOut: outcome.timedOut,
    timeoutMs: input.timeoutMs,
    requestedIds: invocation.selected,
    startedIds: summary.started.filter((id) => !finishedIds.has(id)),
    argv: input.argv,
  });
  const result: TestRunnerResult = {
    runner: "pytest",
    argv: invocation.command,
    exitCode: outcome.exitCode,
    signal: outcome.signal,
    timedOut: outcome.timedOut,
    durationMs: outcome.durationMs,
    output: outcome.output,
    tests,
  };
  const setupError = pytestSetupError(outcome.startError, outcome.exitCode, executed, summary);
  if (setupError && !outcome.timedOut) result.setupError = setupError;
  return result;
}
