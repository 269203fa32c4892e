// The mocha adapter: the JSON reporter into a file, selection with an anchored `--grep`, per-test V8 coverage.
import { join, resolve } from "node:path";
import type { TestCaseResult } from "../../core/types.js";
import { failureHeadline, stripAnsi } from "./jest-json-report.js";
import { scriptArgumentsStart } from "./jest-runner.js";
import { escapeRegExp } from "./node-test-events.js";
import { collectPerTestCoverage } from "./per-test-coverage.js";
import { parseV8Stack, projectRelativePath } from "./stack-frames.js";
import {
  processFields,
  readReport,
  runTestProcess,
  withoutOptions,
  withReportDirectory,
} from "./test-process.js";
import type { CoverageRunOptions, TestRunner, TestRunnerResult, TestRunOptions } from "./types.js";
import { selectableIds, withUnfinishedTests } from "./unfinished-tests.js";
import { readV8LineCounts } from "./v8-coverage.js";

export const ID_FILE_SEPARATOR = "::";

interface MochaTest {
  title?: string;
  fullTitle?: string;
  file?: string;
  duration?: number;
  err?: { message?: string; stack?: string };
}

interface MochaReport {
  tests?: MochaTest[];
  pending?: MochaTest[];
  failures?: MochaTest[];
}

/** Results from mocha's JSON reporter; ids are `<file>::<full title>` (mocha joins titles with spaces). */
export function parseMochaReport(json: string, root: string): TestCaseResult[] {
  const report = JSON.parse(json) as MochaReport;
  const pending = new Set((report.pending ?? []).map((test) => `${test.file}\u0000${test.fullTitle}`));
  const seen = new Set<string>();
  const tests: TestCaseResult[] = [];
  // Hook failures ("before all" hook …) appear only in `failures`.
  for (const entry of [...(report.tests ?? []), ...(report.failures ?? [])]) {
    const file = entry.file ? projectRelativePath(entry.file, root) : "";
    const fullTitle = entry.fullTitle ?? entry.title ?? "";
    const id = `${file}${ID_FILE_SEPARATOR}${fullTitle}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const failed = Boolean(entry.err && (entry.err.message !== undefined || entry.err.stack !== undefined));
    const test: TestCaseResult = {
      id,
      name: fullTitle,
      status: failed ? "failed" : pending.has(`${entry.file}\u0000${entry.fullTitle}`) ? "skipped" : "passed",
      frames: [],
    };
    if (file) test.file = file;
    if (typeof entry.duration === "number") test.durationMs = entry.duration;
    if (failed) {
      const stack = stripAnsi(entry.err?.stack ?? "");
      test.message = stripAnsi(entry.err?.message ?? "") || failureHeadline(stack) || "failed";
      test.frames = parseV8Stack(stack, root);
    }
    tests.push(test);
  }
  return tests;
}

const MOCHA_OWN_OPTIONS = new Set([
  "--reporter",
  "-R",
  "--reporter-option",
  "--reporter-options",
  "-O",
  "--watch",
  "-w",
  "--grep",
  "-g",
  "--fgrep",
  "-f",
  "--invert",
  "-i",
  "--parallel",
  "-p",
]);
const MOCHA_OWN_WITH_VALUE = new Set([
  "--reporter",
  "-R",
  "--reporter-option",
  "--reporter-options",
  "-O",
  "--grep",
  "-g",
  "--fgrep",
  "-f",
]);

/** An anchored `--grep` pattern matching exactly the full titles of the given ids. */
export function mochaGrep(ids: readonly string[]): string {
  const titles = ids.map((id) => {
    const separator = id.indexOf(ID_FILE_SEPARATOR);
    return separator >= 0 ? id.slice(separator + ID_FILE_SEPARATOR.length) : id;
  });
  return `^(?:${titles.map(escapeRegExp).join("|")})$`;
}

export function createMochaRunner(argv: string[], commandEnv: Record<string, string>): TestRunner {
  const runOnce = async (
    options: TestRunOptions,
    reportPath: string,
    ids: readonly string[],
    extraEnv: Record<string, string>,
  ) => {
    const start = scriptArgumentsStart(argv);
    const command = [
      ...argv.slice(0, start),
      ...withoutOptions(argv.slice(start), MOCHA_OWN_OPTIONS, MOCHA_OWN_WITH_VALUE),
      "--reporter",
      "json",
      "--reporter-option",
      `output=${reportPath}`,
      ...(ids.length > 0 ? ["--grep", mochaGrep(ids)] : []),
    ];
    const processResult = await runTestProcess(command, {
      cwd: options.cwd,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      onStarted: options.onStarted,
      env: { ...commandEnv, ...options.env, ...extraEnv },
    });
    const report = await readReport(reportPath);
    let tests: TestCaseResult[] | undefined;
    try {
      tests = report === undefined ? undefined : parseMochaReport(report, options.cwd);
    } catch {
      tests = undefined;
    }
    return { command, processResult, tests };
  };

  const run = async (runOptions: TestRunOptions): Promise<TestRunnerResult> => {
    const options = { ...runOptions, cwd: resolve(runOptions.cwd) };
    return withReportDirectory(async (dir) => {
      const selected = selectableIds(options.testIds, argv);
      const countsDir = join(dir, "line-counts");
      const {
        command,
        processResult,
        tests: parsed,
      } = await runOnce(
        options,
        join(dir, "report.json"),
        selected,
        options.lineCounts ? { NODE_V8_COVERAGE: countsDir } : {},
      );
      const tests = withUnfinishedTests({
        tests: parsed ?? [],
        timedOut: processResult.timedOut,
        timeoutMs: options.timeoutMs,
        requestedIds: selected,
        argv,
      });
      const result: TestRunnerResult = {
        runner: "mocha",
        argv: command,
        ...processFields(processResult),
        tests,
      };
      if (processResult.startError) result.setupError = processResult.startError;
      else if (!processResult.timedOut && parsed === undefined && processResult.exitCode !== 0) {
        result.setupError = `mocha exited with code ${processResult.exitCode} without a report (a test file could not be loaded?)`;
      }
      if (options.lineCounts && !processResult.timedOut)
        result.lineCounts = await readV8LineCounts(countsDir, options.cwd);
      if (options.coverage && !processResult.timedOut && tests.length > 0)
        result.coverage = await coverageOf(tests, options);
      return result;
    }, options.cwd);
  };

  const coverageOf = (tests: readonly TestCaseResult[], runOptions: CoverageRunOptions) => {
    const options = { ...runOptions, cwd: resolve(runOptions.cwd) };
    return withReportDirectory((dir) => {
      let counter = 0;
      return collectPerTestCoverage(tests, dir, options.cwd, async (group, coverageDir) => {
        counter += 1;
        await runOnce(
          options,
          join(dir, `single-${counter}.json`),
          group.map((test) => test.id),
          { NODE_V8_COVERAGE: coverageDir },
        );
      });
    }, options.cwd);
  };
  return { name: "mocha", argv, supportsCoverage: true, cheapCoverage: false, run, coverageOf };
}
