// The `node --test` adapter: RFSN's JSON-lines reporter beside the spec reporter, name-pattern selection, V8 coverage.
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { TestCaseResult } from "../../core/types.js";
import { expandGlobArguments } from "./glob-expansion.js";
import { NODE_TEST_REPORTER_SOURCE } from "./node-test-reporter.js";
import { collectPerTestCoverage } from "./per-test-coverage.js";
import { parseV8Stack, projectRelativePath } from "./stack-frames.js";
import { parseJsonLines, readReport, runTestProcess, withReportDirectory } from "./test-process.js";
import type { TestRunner, TestRunnerResult, TestRunOptions } from "./types.js";
import { selectableIds, withUnfinishedTests } from "./unfinished-tests.js";
import { readV8LineCounts } from "./v8-coverage.js";

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
  /** Test files that failed as a whole (did not load, or exited before reporting), as project-relative paths. */
  fileErrors: string[];
}

/** Folds reporter records into results; ids are `<file>::<outer> > <inner>`. */
export function summarizeNodeTestEvents(records: Record<string, unknown>[], root: string): NodeTestSummary {
  const paths = new Map<string, string[]>();
  const tests: TestCaseResult[] = [];
  const suites: string[] = [];
  const started = new Set<string>();
  const fileErrors: string[] = [];
  for (const record of records as unknown as ReporterRecord[]) {
    const file = record.file ? projectRelativePath(record.file, root) : "";
    const stack = paths.get(file) ?? [];
    paths.set(file, stack);
    stack.length = Math.max(0, record.nesting);
    const path = [...stack, record.name];
    const id = `${file}${ID_FILE_SEPARATOR}${path.join(ID_LEVEL_SEPARATOR)}`;
    if (record.type === "test:start") {
      stack.push(record.name);
      started.add(id);
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
  return { tests, suites, started: [...started], fileErrors };
}

/** Files and a `--test-name-pattern` selecting the given ids; ancestors known to be suites are left out of the pattern. */
export function nodeTestSelection(
  ids: readonly string[],
  knownSuites: ReadonlySet<string>,
): { files: string[]; pattern: string } {
  const files = new Set<string>();
  const names = new Set<string>();
  for (const id of ids) {
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
  return { files: [...files], pattern: `^(?:${[...names].map(escapeRegExp).join("|")})$` };
}

/** Options that need node's test-runner process (it starts one child per file); without them one file can run alone. */
const RUNNER_ONLY_OPTIONS =
  /^--(test-concurrency|test-shard|test-force-exit|experimental-test-coverage|experimental-test-isolation|watch|test-timeout)(=|$)/;

/**
 * The user's options for a run of the selected tests: a single test file runs directly (`node file`, one process,
 * about a third of the time of `node --test file`, same events), unless an option needs the test-runner process.
 */
export function singleFileOptions(userOptions: readonly string[], files: readonly string[]): string[] {
  if (files.length !== 1 || userOptions.some((option) => RUNNER_ONLY_OPTIONS.test(option)))
    return [...userOptions];
  return userOptions.filter((option) => option !== "--test");
}

export function createNodeTestRunner(argv: string[], commandEnv: Record<string, string>): TestRunner {
  const knownSuites = new Set<string>();
  const runOnce = async (
    options: TestRunOptions,
    dir: string,
    extraEnv: Record<string, string>,
    ids: string[],
  ) => {
    const reporterPath = join(dir, "rfsn-node-reporter.mjs");
    const eventsPath = join(dir, `events-${Math.random().toString(36).slice(2)}.jsonl`);
    const { options: userOptions, files } = nodeTestArguments(argv);
    const selection = ids.length > 0 ? nodeTestSelection(ids, knownSuites) : undefined;
    const command = [
      argv[0] ?? "node",
      `--test-reporter=${reporterPath}`,
      `--test-reporter-destination=${eventsPath}`,
      "--test-reporter=spec",
      "--test-reporter-destination=stdout",
      ...(selection ? singleFileOptions(userOptions, selection.files) : userOptions),
      ...(selection
        ? [`--test-name-pattern=${selection.pattern}`, ...selection.files]
        : await expandGlobArguments(files, options.cwd)),
    ];
    const processResult = await runTestProcess(command, {
      cwd: options.cwd,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      env: { ...commandEnv, ...options.env, ...extraEnv },
    });
    const summary = summarizeNodeTestEvents(parseJsonLines(await readReport(eventsPath)), options.cwd);
    for (const suite of summary.suites) knownSuites.add(suite);
    return { command, processResult, summary };
  };

  const run = async (runOptions: TestRunOptions): Promise<TestRunnerResult> => {
    const options = { ...runOptions, cwd: resolve(runOptions.cwd) };
    return withReportDirectory(async (dir) => {
      await writeFile(join(dir, "rfsn-node-reporter.mjs"), NODE_TEST_REPORTER_SOURCE);
      const selected = selectableIds(options.testIds, argv);
      const countsDir = join(dir, "line-counts");
      const { command, processResult, summary } = await runOnce(
        options,
        dir,
        options.lineCounts ? { NODE_V8_COVERAGE: countsDir } : {},
        selected,
      );
      const tests = withUnfinishedTests({
        tests: summary.tests,
        timedOut: processResult.timedOut,
        timeoutMs: options.timeoutMs,
        requestedIds: selected,
        startedIds: summary.started.filter((id) => !summary.suites.includes(id)),
        argv,
      });
      const result: TestRunnerResult = {
        runner: "node-test",
        argv: command,
        exitCode: processResult.exitCode,
        signal: processResult.signal,
        timedOut: processResult.timedOut,
        durationMs: processResult.durationMs,
        output: processResult.output,
        tests,
      };
      const executed = summary.tests.filter(
        (test) => test.status !== "skipped" && !summary.fileErrors.includes(test.id),
      ).length;
      if (processResult.startError) result.setupError = processResult.startError;
      else if (executed === 0 && !processResult.timedOut) {
        if (summary.fileErrors.length > 0) {
          result.setupError = `node --test could not run the test files: ${summary.fileErrors.join(", ")}`;
        } else if (processResult.exitCode !== 0) {
          result.setupError = `node --test exited with code ${processResult.exitCode} before reporting any test`;
        }
      }
      if (options.lineCounts && !processResult.timedOut)
        result.lineCounts = await readV8LineCounts(countsDir, options.cwd);
      if (options.coverage && !processResult.timedOut && tests.length > 0) {
        result.coverage = await collectPerTestCoverage(
          tests,
          dir,
          options.cwd,
          async (group, coverageDir) => {
            await runOnce(
              options,
              dir,
              { NODE_V8_COVERAGE: coverageDir },
              group.map((test) => test.id),
            );
          },
        );
      }
      return result;
    });
  };

  return { name: "node-test", argv, supportsCoverage: true, cheapCoverage: false, run };
}
