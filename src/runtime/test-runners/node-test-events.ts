// Reading node:test runs: test ids, the command's arguments, the reporter's events folded into results, name selection.
import type { TestCaseResult } from "../../core/types.js";
import { parseV8Stack, projectRelativePath } from "./stack-frames.js";
import type { TestRunnerResult } from "./types.js";
import { withUnfinishedTests } from "./unfinished-tests.js";

/** Separates the file from the test path in an id, and the levels of the test path. */
export const ID_FILE_SEPARATOR = "::";
export const ID_LEVEL_SEPARATOR = " > ";

const NODE_OPTIONS_WITH_VALUE = new Set([
  "-r",
  "--require",
  "--import",
  "--loader",
  "--experimental-loader",
  "-C",
  "--conditions",
  "--test-name-pattern",
  "--test-skip-pattern",
  "--test-reporter",
  "--test-reporter-destination",
  "--test-concurrency",
  "--test-timeout",
  "--test-shard",
  "--env-file",
]);

/** Splits `node [options] [files]`: the user's options (minus reporters) and positional file arguments. */
export function nodeTestArguments(argv: readonly string[]): { options: string[]; files: string[] } {
  const options: string[] = [];
  const files: string[] = [];
  for (let index = 1; index < argv.length; index += 1) {
    const word = argv[index] ?? "";
    const isReporter = /^--test-reporter(-destination)?(=|$)/.test(word);
    if (word.startsWith("-")) {
      const takesValue = NODE_OPTIONS_WITH_VALUE.has(word) && index + 1 < argv.length;
      if (!isReporter) options.push(word);
      if (takesValue) {
        if (!isReporter) options.push(argv[index + 1] ?? "");
        index += 1;
      }
    } else {
      files.push(word);
    }
  }
  return { options, files };
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

interface ReporterRecord {
  type: string;
  name: string;
  nesting: number;
  file: string | null;
  skip: string | null;
  todo: boolean;
  suite: boolean;
  durationMs: number | null;
  failureType?: string | null;
  message?: string;
  stack?: string;
}

const PATTERN_SKIP = /test name does not match pattern/;

export interface NodeTestSummary {
  tests: TestCaseResult[];
  /** Ids of test paths that turned out to be suites (describe blocks). */
  suites: string[];
  /** Tests that started and never reported an outcome. */
  started: string[];
  /** Every test and suite in the order they started: id, project-relative file and own name. */
  startOrder: { id: string; file: string; name: string }[];
  /** Test files that failed as a whole (did not load, or exited before reporting), as project-relative paths. */
  fileErrors: string[];
  /** Test files whose process started and reported no test (a hang stopped it first), as project-relative paths. */
  unfinishedFiles: string[];
}

/** Folds reporter records into results; ids are `<file>::<outer> > <inner>`. */
export function summarizeNodeTestEvents(records: Record<string, unknown>[], root: string): NodeTestSummary {
  const paths = new Map<string, string[]>();
  const tests: TestCaseResult[] = [];
  const suites: string[] = [];
  const started = new Set<string>();
  const startOrder: NodeTestSummary["startOrder"] = [];
  const fileErrors: string[] = [];
  const dequeuedFiles: string[] = [];
  const reportedFiles = new Set<string>();
  for (const record of records as unknown as ReporterRecord[]) {
    const file = record.file ? projectRelativePath(record.file, root) : "";
    if (record.type === "file:dequeue") {
      if (file) dequeuedFiles.push(file);
      continue;
    }
    reportedFiles.add(file);
    const stack = paths.get(file) ?? [];
    paths.set(file, stack);
    stack.length = Math.max(0, record.nesting);
    const path = [...stack, record.name];
    const id = `${file}${ID_FILE_SEPARATOR}${path.join(ID_LEVEL_SEPARATOR)}`;
    if (record.type === "test:start") {
      stack.push(record.name);
      started.add(id);
      startOrder.push({ id, file, name: record.name });
      continue;
    }
    started.delete(id);
    if (record.suite) {
      suites.push(id);
      // A suite that failed by itself (a hook, an error while defining it) is reported as a failing test.
      if (record.type !== "test:fail" || record.failureType === "subtestsFailed") continue;
    }
    if (record.skip && PATTERN_SKIP.test(record.skip)) continue;
    if (record.nesting === 0 && record.file && record.name === record.file) {
      // node reports a file that could not run as one failing test named after the file; the cause is in the output.
      fileErrors.push(file);
      tests.push({
        id: file,
        name: file,
        file,
        status: "failed",
        message: `${record.message ?? "test failed"}: the test file did not load or exited early (see the output)`,
        frames: parseV8Stack(record.stack ?? "", root),
      });
      continue;
    }
    const test: TestCaseResult = {
      id,
      name: path.join(ID_LEVEL_SEPARATOR),
      status: record.skip || record.todo ? "skipped" : record.type === "test:fail" ? "failed" : "passed",
      frames: [],
    };
    if (file) test.file = file;
    if (record.durationMs !== null) test.durationMs = Math.round(record.durationMs);
    if (test.status === "failed") {
      test.message = record.message ?? "failed";
      test.frames = parseV8Stack(record.stack ?? "", root);
    } else if (record.skip && record.skip !== "true") {
      test.message = record.skip;
    }
    tests.push(test);
  }
  const unfinishedFiles = dequeuedFiles.filter((file) => !reportedFiles.has(file));
  return { tests, suites, started: [...started], startOrder, fileErrors, unfinishedFiles };
}

/** Files and a `--test-name-pattern` selecting the given ids; ancestors known to be suites are left out of the pattern. */
export function nodeTestSelection(
  ids: readonly string[],
  knownSuites: ReadonlySet<string>,
): { files: string[]; pattern: string | undefined } {
  const files = new Set<string>();
  const names = new Set<string>();
  let wholeFile = false;
  for (const id of ids) {
    // A whole test file (one that hung before reporting its tests) runs without a name pattern.
    if (isTestFileId(id)) {
      files.add(id);
      wholeFile = true;
      continue;
    }
    const separator = id.indexOf(ID_FILE_SEPARATOR);
    const file = separator >= 0 ? id.slice(0, separator) : "";
    const levels = (separator >= 0 ? id.slice(separator + ID_FILE_SEPARATOR.length) : id).split(
      ID_LEVEL_SEPARATOR,
    );
    if (file) files.add(file);
    levels.forEach((level, depth) => {
      const prefix = `${file}${ID_FILE_SEPARATOR}${levels.slice(0, depth + 1).join(ID_LEVEL_SEPARATOR)}`;
      if (depth === levels.length - 1 || !knownSuites.has(prefix)) names.add(level);
    });
  }
  if (wholeFile) return { files: [...files], pattern: undefined };
  return { files: [...files], pattern: `^(?:${[...names].map(escapeRegExp).join("|")})$` };
}

/** Whether an id names a whole test file (a relative script path, no test path). */
function isTestFileId(id: string): boolean {
  return !id.includes(ID_FILE_SEPARATOR) && /^[\w@.-][\w@./-]*\.[cm]?[jt]sx?$/.test(id);
}

/**
 * The whole-file ids among `selected` as results: failed when a test of the file failed, passed when the file's
 * tests all ran and passed (a file that reported nothing stays unknown; a hang makes it unfinished).
 */
function wholeFileResults(selected: readonly string[], tests: readonly TestCaseResult[]): TestCaseResult[] {
  const results: TestCaseResult[] = [];
  for (const file of selected.filter(isTestFileId)) {
    const inFile = tests.filter((test) => test.file === file && test.id !== file);
    if (inFile.length === 0) continue;
    const failed = inFile.find((test) => test.status === "failed");
    results.push({
      id: file,
      name: file,
      file,
      status: failed ? "failed" : "passed",
      ...(failed ? { message: `${failed.name}: ${failed.message ?? "failed"}` } : {}),
      frames: failed?.frames ?? [],
    });
  }
  return results;
}

/** How a run's process (or a warm run) ended. */
export interface NodeTestRunOutcome {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  durationMs: number;
  output: string;
  startError?: string;
}

/** A run's result from the reporter's summary: unfinished tests fail after a timeout; no test at all is a setup error. */
export function nodeTestRunResult(input: {
  /** The runner's command. */
  argv: readonly string[];
  /** The command that ran (shown as the run's argv). */
  command: string[];
  outcome: NodeTestRunOutcome;
  summary: NodeTestSummary;
  timeoutMs: number;
  selected: readonly string[];
}): TestRunnerResult {
  const { outcome, summary } = input;
  const startedTests = summary.started.filter((id) => !summary.suites.includes(id));
  // A file that hung before reporting any test stands for its tests (unless a test of it is known to have started).
  const unfinishedFiles = summary.unfinishedFiles.filter(
    (file) => !startedTests.some((id) => id.startsWith(`${file}${ID_FILE_SEPARATOR}`)),
  );
  const reported = [...summary.tests, ...wholeFileResults(input.selected, summary.tests)];
  const tests = withUnfinishedTests({
    tests: reported,
    timedOut: outcome.timedOut,
    timeoutMs: input.timeoutMs,
    requestedIds: input.selected,
    startedIds: [...startedTests, ...unfinishedFiles],
    argv: input.argv,
  });
  for (const test of tests) if (unfinishedFiles.includes(test.id) && !test.file) test.file = test.id;
  const result: TestRunnerResult = {
    runner: "node-test",
    argv: input.command,
    exitCode: outcome.exitCode,
    signal: outcome.signal,
    timedOut: outcome.timedOut,
    durationMs: outcome.durationMs,
    output: outcome.output,
    tests,
  };
  const executed = summary.tests.filter(
    (test) => test.status !== "skipped" && !summary.fileErrors.includes(test.id),
  ).length;
  if (outcome.startError) result.setupError = outcome.startError;
  else if (executed === 0 && !outcome.timedOut) {
    if (summary.fileErrors.length > 0) {
      result.setupError = `node --test could not run the test files: ${summary.fileErrors.join(", ")}`;
    } else if (outcome.exitCode !== 0) {
      result.setupError = `node --test exited with code ${outcome.exitCode} before reporting any test`;
    }
  }
  return result;
}
