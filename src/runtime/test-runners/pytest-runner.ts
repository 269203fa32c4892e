// The pytest adapter: adds a JUnit report and RFSN's plugin, selects node ids, parses results, frames and per-test coverage.
import { writeFile } from "node:fs/promises";
import { delimiter, join, resolve } from "node:path";
import { isProjectSourcePath } from "../../core/source-paths.js";
import type { StackFrame, TestCaseResult } from "../../core/types.js";
import { type JunitTestCase, parseJunitReport } from "./junit-report.js";
import { PYTEST_PLUGIN_MODULE, PYTEST_PLUGIN_SOURCE } from "./pytest-plugin.js";
import { unusedHeavyPlugins } from "./pytest-plugin-pruning.js";
import { MAX_FRAMES, parsePythonTraceback, projectRelativePath } from "./stack-frames.js";
import { parseJsonLines, readReport, runTestProcess, withReportDirectory } from "./test-process.js";
import type { TestCoverage, TestRunner, TestRunnerResult, TestRunOptions } from "./types.js";
import { selectableIds, withUnfinishedTests } from "./unfinished-tests.js";

/** pytest options whose value is the next word (when not written as `--opt=value`). */
const OPTIONS_WITH_VALUE = new Set([
  "-k",
  "-m",
  "-c",
  "-p",
  "-o",
  "-W",
  "-r",
  "-n",
  "--tb",
  "--junitxml",
  "--junit-xml",
  "--rootdir",
  "--confcutdir",
  "--basetemp",
  "--deselect",
  "--ignore",
  "--ignore-glob",
  "--maxfail",
  "--durations",
  "--import-mode",
  "--log-level",
  "--capture",
  "--color",
  "--cov",
  "--cov-report",
  "--dist",
  "--timeout",
  "--override-ini",
  "--config-file",
  "--pyargs",
]);

/** Splits a pytest argv into the part before the pytest arguments, options, and positional paths. */
export function pytestArguments(argv: readonly string[]): {
  prefix: string[];
  options: string[];
  paths: string[];
} {
  const moduleIndex = argv.indexOf("-m");
  const start = moduleIndex >= 0 && argv[moduleIndex + 1] === "pytest" ? moduleIndex + 2 : 1;
  const prefix = argv.slice(0, start);
  const options: string[] = [];
  const paths: string[] = [];
  for (let index = start; index < argv.length; index += 1) {
    const word = argv[index] ?? "";
    if (word.startsWith("-")) {
      options.push(word);
      if (OPTIONS_WITH_VALUE.has(word) && index + 1 < argv.length) {
        options.push(argv[index + 1] ?? "");
        index += 1;
      }
    } else {
      paths.push(word);
    }
  }
  return { prefix, options, paths };
}

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

export function createPytestRunner(argv: string[], commandEnv: Record<string, string>): TestRunner {
  // Test files cannot change during a repair (the gate protects them), so the scan of the first run holds.
  let blocked: Promise<string[]> | undefined;
  return {
    name: "pytest",
    argv,
    supportsCoverage: true,
    cheapCoverage: true,
    run: async (options) => {
      blocked ??= unusedHeavyPlugins(resolve(options.cwd));
      return runPytest(argv, commandEnv, options, await blocked);
    },
  };
}

async function runPytest(
  argv: string[],
  commandEnv: Record<string, string>,
  runOptions: TestRunOptions,
  blockedPlugins: readonly string[],
): Promise<TestRunnerResult> {
  const options = { ...runOptions, cwd: resolve(runOptions.cwd) };
  return withReportDirectory(async (dir) => {
    await writeFile(join(dir, `${PYTEST_PLUGIN_MODULE}.py`), PYTEST_PLUGIN_SOURCE);
    const junitPath = join(dir, "junit.xml");
    const eventsPath = join(dir, "events.jsonl");
    const tracePath = join(dir, "trace.json");
    const { prefix, options: userOptions, paths } = pytestArguments(argv);
    const selected = selectableIds(options.testIds, argv);
    const command = [
      ...prefix,
      ...userOptions,
      "-p",
      "no:cacheprovider",
      ...blockedPlugins.flatMap((plugin) => ["-p", `no:${plugin}`]),
      "-p",
      PYTEST_PLUGIN_MODULE,
      `--junitxml=${junitPath}`,
      "-o",
      "junit_family=xunit1",
      ...(selected.length > 0 ? selected : paths),
    ];
    const inheritedPythonPath = options.env?.PYTHONPATH ?? commandEnv.PYTHONPATH ?? process.env.PYTHONPATH;
    const processResult = await runTestProcess(command, {
      cwd: options.cwd,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      env: {
        ...commandEnv,
        ...options.env,
        PYTHONPATH: [dir, inheritedPythonPath].filter(Boolean).join(delimiter),
        PYTHONDONTWRITEBYTECODE: "1",
        RFSN_PROJECT_ROOT: options.cwd,
        RFSN_PYTEST_EVENTS: eventsPath,
        ...(options.coverage ? { RFSN_PYTEST_TRACE: tracePath } : {}),
      },
    });
    const summary = summarizePytestEvents(parseJsonLines(await readReport(eventsPath)), options.cwd);
    let tests = summary.tests;
    if (tests.length === 0 && summary.collectionErrors.length === 0) {
      const junit = await readReport(junitPath);
      if (junit) tests = testsFromJunit(junit, options.cwd);
    }
    const executed = tests.length;
    tests = [...tests, ...summary.collectionErrors];
    const finishedIds = new Set(tests.map((test) => test.id));
    tests = withUnfinishedTests({
      tests,
      timedOut: processResult.timedOut,
      timeoutMs: options.timeoutMs,
      requestedIds: selected,
      startedIds: summary.started.filter((id) => !finishedIds.has(id)),
      argv,
    });
    const result: TestRunnerResult = {
      runner: "pytest",
      argv: command,
      exitCode: processResult.exitCode,
      signal: processResult.signal,
      timedOut: processResult.timedOut,
      durationMs: processResult.durationMs,
      output: processResult.output,
      tests,
    };
    const setupError = pytestSetupError(processResult.startError, processResult.exitCode, executed, summary);
    if (setupError && !processResult.timedOut) result.setupError = setupError;
    if (options.coverage) {
      const coverage = coverageFromTrace(await readReport(tracePath));
      if (coverage) result.coverage = coverage;
    }
    return result;
  });
}

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
