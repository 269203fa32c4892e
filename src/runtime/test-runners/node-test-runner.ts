// The `node --test` adapter: RFSN's JSON-lines reporter beside the spec reporter, name-pattern selection, V8 coverage.
import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { TestCaseResult } from "../../core/types.js";
import { expandGlobArguments } from "./glob-expansion.js";
import {
  NODE_TEST_COVERAGE_HOOKS_SOURCE,
  type RanTests,
  SEGMENT_LOG,
  segmentedCoverage,
} from "./node-test-coverage-hooks.js";
import {
  type NodeTestSummary,
  nodeTestArguments,
  nodeTestRunResult,
  nodeTestSelection,
  summarizeNodeTestEvents,
} from "./node-test-events.js";
import { NODE_TEST_INTEGRITY_SOURCE } from "./node-test-integrity.js";
import { NODE_TEST_REPORTER_SOURCE } from "./node-test-reporter.js";
import { startNodeTestWarmSession } from "./node-test-warm.js";
import { collectPerTestCoverage } from "./per-test-coverage.js";
import { parseJsonLines, readReport, runTestProcess, withReportDirectory } from "./test-process.js";
import type { TestCoverage, TestRunner, TestRunnerResult, TestRunOptions } from "./types.js";
import { selectableIds } from "./unfinished-tests.js";
import { coverageFileNames, mergeLineRunCounts, readV8CoverageFiles } from "./v8-coverage.js";

/** The tests (not suites) that ran, per file, in the order they started (how the coverage hooks saw them). */
function ranTests(summary: NodeTestSummary, tests: readonly TestCaseResult[]): RanTests[] {
  const ran = new Set(tests.filter((test) => test.status !== "skipped").map((test) => test.id));
  const byFile = new Map<string, RanTests>();
  for (const entry of summary.startOrder) {
    if (!ran.has(entry.id)) continue;
    const group = byFile.get(entry.file) ?? { file: entry.file, tests: [] };
    group.tests.push({ id: entry.id, name: entry.name });
    byFile.set(entry.file, group);
  }
  return [...byFile.values()];
}

/** The tests' durations without the time the coverage hooks spent cutting coverage at their start and end. */
function withoutCutTime(tests: TestCaseResult[], cutMsByTest: ReadonlyMap<string, number>): TestCaseResult[] {
  return tests.map((test) => {
    const cutMs = cutMsByTest.get(test.id);
    return cutMs === undefined || test.durationMs === undefined
      ? test
      : { ...test, durationMs: Math.max(0, Math.round(test.durationMs - cutMs)) };
  });
}

/** Keeps the test files a whole-suite run reported (a warm whole-suite run runs exactly these). */
function rememberSuiteFiles(suiteFiles: Set<string>, tests: readonly TestCaseResult[]): void {
  const files = tests.flatMap((test) => (test.file ? [test.file] : []));
  if (files.length === 0) return;
  suiteFiles.clear();
  for (const file of files) suiteFiles.add(file);
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

/** The preload that freezes the assertion modules (see node-test-integrity.ts), written next to the reporter. */
const INTEGRITY_FILE = "rfsn-node-integrity.mjs";

export function createNodeTestRunner(argv: string[], commandEnv: Record<string, string>): TestRunner {
  const knownSuites = new Set<string>();
  const suiteFiles = new Set<string>();
  const runOnce = async (
    options: TestRunOptions,
    dir: string,
    extra: { env?: Record<string, string>; preload?: string },
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
      `--import=${pathToFileURL(join(dir, INTEGRITY_FILE)).href}`,
      ...(extra.preload ? [`--import=${pathToFileURL(extra.preload).href}`] : []),
      ...(selection ? singleFileOptions(userOptions, selection.files) : userOptions),
      ...(selection
        ? [
            ...(selection.pattern === undefined ? [] : [`--test-name-pattern=${selection.pattern}`]),
            ...selection.files,
          ]
        : await expandGlobArguments(files, options.cwd)),
    ];
    const processResult = await runTestProcess(command, {
      cwd: options.cwd,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      onStarted: options.onStarted,
      env: { ...commandEnv, ...options.env, ...extra.env },
    });
    const summary = summarizeNodeTestEvents(parseJsonLines(await readReport(eventsPath)), options.cwd);
    for (const suite of summary.suites) knownSuites.add(suite);
    return { command, processResult, summary };
  };

  const run = async (runOptions: TestRunOptions): Promise<TestRunnerResult> => {
    const options = { ...runOptions, cwd: resolve(runOptions.cwd) };
    return withReportDirectory(async (dir) => {
      await writeFile(join(dir, "rfsn-node-reporter.mjs"), NODE_TEST_REPORTER_SOURCE);
      await writeFile(join(dir, INTEGRITY_FILE), NODE_TEST_INTEGRITY_SOURCE);
      const selected = selectableIds(options.testIds, argv);
      const countsDir = join(dir, "line-counts");
      // Per-test coverage comes from the same run: a preload cuts the coverage at every test's start and end.
      const segmented =
        options.coverage && !argv.some((word) => word.startsWith("--experimental-test-coverage"));
      const hooksPath = join(dir, "rfsn-node-coverage.mjs");
      if (segmented) await writeFile(hooksPath, NODE_TEST_COVERAGE_HOOKS_SOURCE);
      const { command, processResult, summary } = await runOnce(
        options,
        dir,
        {
          ...(options.lineCounts || segmented ? { env: { NODE_V8_COVERAGE: countsDir } } : {}),
          ...(segmented ? { preload: hooksPath } : {}),
        },
        selected,
      );
      const result = nodeTestRunResult({
        argv,
        command,
        outcome: processResult,
        summary,
        timeoutMs: options.timeoutMs,
        selected,
      });
      const { tests } = result;
      if (processResult.timedOut) return result;
      if (selected.length === 0) rememberSuiteFiles(suiteFiles, tests);
      const counts =
        options.lineCounts || segmented
          ? await readV8CoverageFiles(countsDir, options.cwd, await coverageFileNames(countsDir))
          : new Map();
      if (options.lineCounts) result.lineCounts = mergeLineRunCounts(counts.values());
      if (options.coverage && tests.length > 0) {
        const segments = segmented
          ? segmentedCoverage(
              await readFile(join(countsDir, SEGMENT_LOG), "utf8").catch(() => ""),
              counts,
              ranTests(summary, tests),
              options.cwd,
            )
          : undefined;
        const fromSegments = segments?.coverage ?? (new Map() as TestCoverage);
        if (segments) result.tests = withoutCutTime(tests, segments.cutMsByTest);
        const failedWithout = tests.some((test) => test.status === "failed" && !fromSegments.has(test.id));
        result.coverage = failedWithout
          ? await collectPerTestCoverage(tests, dir, options.cwd, async (group, coverageDir) => {
              await runOnce(
                options,
                dir,
                { env: { NODE_V8_COVERAGE: coverageDir } },
                group.map((test) => test.id),
              );
            })
          : fromSegments;
      }
      return result;
    }, options.cwd);
  };

  const runner: TestRunner = { name: "node-test", argv, supportsCoverage: true, cheapCoverage: true, run };
  // Options that need node's runner process have no worker-thread equivalent; such commands always run cold.
  if (nodeTestArguments(argv).options.some((option) => RUNNER_ONLY_OPTIONS.test(option))) return runner;
  return {
    ...runner,
    startWarmSession: (cwd) =>
      startNodeTestWarmSession(cwd, { argv, env: commandEnv, knownSuites, suiteFiles }),
  };
}
