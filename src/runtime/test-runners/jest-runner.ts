// The jest adapter: `--json --outputFile`, selection by file pattern and `-t`, results from the JSON report, coverage by reruns.
import { join, resolve } from "node:path";
import type { TestCaseResult } from "../../core/types.js";
import { readIstanbulCoverageDirectory } from "./istanbul-coverage.js";
import { ID_FILE_SEPARATOR, ID_LEVEL_SEPARATOR, parseJestJsonReport } from "./jest-json-report.js";
import { escapeRegExp } from "./node-test-events.js";
import { collectPerTestCoverage } from "./per-test-coverage.js";
import {
  processFields,
  readReport,
  runTestProcess,
  withoutOptions,
  withReportDirectory,
} from "./test-process.js";
import type {
  CoverageRunOptions,
  RunnerName,
  TestRunner,
  TestRunnerResult,
  TestRunOptions,
} from "./types.js";
import { selectableIds, withUnfinishedTests } from "./unfinished-tests.js";

/** Files and a full-name pattern (`describe title` joined by spaces, anchored) selecting the given ids. */
export function jestSelection(ids: readonly string[]): { files: string[]; fullNames: string[] } {
  const files = new Set<string>();
  const fullNames = new Set<string>();
  for (const id of ids) {
    const separator = id.indexOf(ID_FILE_SEPARATOR);
    if (separator < 0) {
      files.add(id);
      continue;
    }
    files.add(id.slice(0, separator));
    fullNames.add(
      id
        .slice(separator + ID_FILE_SEPARATOR.length)
        .split(ID_LEVEL_SEPARATOR)
        .join(" "),
    );
  }
  return { files: [...files], fullNames: [...fullNames] };
}

export function fullNamePattern(fullNames: readonly string[]): string {
  return `^(?:${fullNames.map(escapeRegExp).join("|")})$`;
}

export interface JsonReportRunnerSpec {
  name: Extract<RunnerName, "jest" | "vitest">;
  /** Splits the user's argv into the command that starts the runner and its arguments. */
  split(argv: readonly string[]): { command: string[]; args: string[] };
  /** The user's arguments without the options RFSN sets itself (reporters, output files, name filters, watch). */
  clean(args: readonly string[]): string[];
  /** RFSN's reporter options. */
  reporterArguments(reportPath: string): string[];
  /** Arguments selecting `ids`, replacing the user's positional file filters. */
  selection(args: readonly string[], ids: readonly string[]): string[];
  /** Options that make the runner write istanbul json coverage (`coverage-final.json`) of the files it ran into `dir`. */
  coverageArguments(dir: string): string[];
}

/** Index of the node script in `node <script> …`, so the runner's own arguments start after it. */
export function scriptArgumentsStart(argv: readonly string[]): number {
  const first = argv[0] ?? "";
  if (!/(^|\/)node(js)?$/.test(first)) return 1;
  const script = argv.findIndex((word, index) => index > 0 && !word.startsWith("-"));
  return script < 0 ? argv.length : script + 1;
}

const JEST_OWN_OPTIONS = new Set([
  "--json",
  "--outputFile",
  "--watch",
  "--watchAll",
  "-t",
  "--testNamePattern",
  "--ci",
]);
const JEST_OWN_WITH_VALUE = new Set(["--outputFile", "-t", "--testNamePattern"]);

/** Jest options whose value is the next word, so that word is not mistaken for a path pattern. */
const JEST_VALUE_OPTIONS = new Set([
  "-c",
  "--config",
  "--maxWorkers",
  "-w",
  "--selectProjects",
  "--testTimeout",
  "--shard",
  "--rootDir",
  "--roots",
  "--env",
  "--testEnvironment",
  "--reporters",
  "--testPathIgnorePatterns",
]);

/** Options and positional path patterns of a jest-like command line. */
export function optionsAndPositionals(args: readonly string[], valueOptions: ReadonlySet<string>) {
  const options: string[] = [];
  const positionals: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const word = args[index] ?? "";
    if (word.startsWith("-")) {
      options.push(word);
      if (valueOptions.has(word) && index + 1 < args.length) {
        options.push(args[index + 1] ?? "");
        index += 1;
      }
    } else positionals.push(word);
  }
  return { options, positionals };
}

const JEST_SPEC: JsonReportRunnerSpec = {
  name: "jest",
  split(argv) {
    const start = scriptArgumentsStart(argv);
    return { command: argv.slice(0, start), args: argv.slice(start) };
  },
  clean(args) {
    return withoutOptions(args, JEST_OWN_OPTIONS, JEST_OWN_WITH_VALUE);
  },
  reporterArguments(reportPath) {
    return ["--ci", "--json", `--outputFile=${reportPath}`];
  },
  coverageArguments(dir) {
    return ["--coverage", "--coverageReporters=json", `--coverageDirectory=${dir}`];
  },
  selection(args, ids) {
    const { options } = optionsAndPositionals(args, JEST_VALUE_OPTIONS);
    const { files, fullNames } = jestSelection(ids);
    return [
      ...options,
      ...(fullNames.length > 0 ? ["-t", fullNamePattern(fullNames)] : []),
      ...files.map((file) => escapeRegExp(file)),
    ];
  },
};

/** Failing tests that get a coverage run of their own (each run starts the whole runner, so this stays small). */
export const MAX_FAILING_COVERAGE_RUNS = 4;
/** Passing tests spread over the coverage groups. */
export const MAX_PASSING_COVERAGE_TESTS = 200;

export function createJsonReportRunner(
  spec: JsonReportRunnerSpec,
  argv: string[],
  commandEnv: Record<string, string>,
  coverageSupported = false,
): TestRunner {
  const runSelection = async (
    options: TestRunOptions,
    selected: readonly string[],
    reportPath: string,
    extraArguments: readonly string[],
  ) => {
    const { command: start, args } = spec.split(argv);
    const userArgs = spec.clean(args);
    const chosen = selected.length > 0 ? spec.selection(userArgs, selected) : userArgs;
    const command = [...start, ...chosen, ...spec.reporterArguments(reportPath), ...extraArguments];
    const processResult = await runTestProcess(command, {
      cwd: options.cwd,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      onStarted: options.onStarted,
      env: { ...commandEnv, ...options.env },
    });
    return { command, processResult };
  };

  const run = async (runOptions: TestRunOptions): Promise<TestRunnerResult> => {
    const options = { ...runOptions, cwd: resolve(runOptions.cwd) };
    return withReportDirectory(async (dir) => {
      const reportPath = join(dir, "report.json");
      const selected = selectableIds(options.testIds, argv);
      const { command, processResult } = await runSelection(options, selected, reportPath, []);
      const report = await readReport(reportPath);
      let summary: ReturnType<typeof parseJestJsonReport> | undefined;
      try {
        summary = report === undefined ? undefined : parseJestJsonReport(report, options.cwd);
      } catch {
        summary = undefined;
      }
      const tests = withUnfinishedTests({
        tests: summary?.tests ?? [],
        timedOut: processResult.timedOut,
        timeoutMs: options.timeoutMs,
        requestedIds: selected,
        argv,
      });
      const result: TestRunnerResult = {
        runner: spec.name,
        argv: command,
        ...processFields(processResult),
        tests,
      };
      if (processResult.startError) result.setupError = processResult.startError;
      else if (!processResult.timedOut && (summary?.executed ?? 0) === 0) {
        if (summary && summary.fileErrors.length > 0) {
          result.setupError = `${spec.name} could not load the test files: ${summary.fileErrors.join(", ")}`;
        } else if (processResult.exitCode !== 0) {
          result.setupError = `${spec.name} exited with code ${processResult.exitCode} before running any test`;
        }
      }
      if (options.coverage && coverageSupported && !result.setupError && !processResult.timedOut)
        result.coverage = await coverageOf(tests, options);
      return result;
    }, options.cwd);
  };

  const coverageOf = (tests: readonly TestCaseResult[], runOptions: CoverageRunOptions) => {
    const options = { ...runOptions, cwd: resolve(runOptions.cwd) };
    return withReportDirectory(
      (dir) =>
        collectPerTestCoverage(
          tests,
          dir,
          options.cwd,
          async (group, coverageDir) => {
            const ids = group.map((test) => test.id);
            const groupReport = join(coverageDir, "report.json");
            await runSelection(options, ids, groupReport, spec.coverageArguments(coverageDir));
          },
          {
            readCoverage: readIstanbulCoverageDirectory,
            maxFailing: MAX_FAILING_COVERAGE_RUNS,
            maxTests: MAX_FAILING_COVERAGE_RUNS + MAX_PASSING_COVERAGE_TESTS,
          },
        ),
      options.cwd,
    );
  };
  return {
    name: spec.name,
    argv,
    supportsCoverage: coverageSupported,
    cheapCoverage: false,
    run,
    ...(coverageSupported ? { coverageOf } : {}),
  };
}

/** Jest instruments code for coverage itself (babel-plugin-istanbul, or V8 when configured), so coverage is always on offer. */
export function createJestRunner(argv: string[], commandEnv: Record<string, string>): TestRunner {
  return createJsonReportRunner(JEST_SPEC, argv, commandEnv, true);
}
