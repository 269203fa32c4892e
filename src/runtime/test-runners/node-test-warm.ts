// A warm node:test session: one process kept alive in a worktree that runs each selected test file in a new worker thread.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { startServiceProcess } from "../process-service.js";
import { grantToSandboxedRuns } from "../sandbox/session-sandbox.js";
import {
  type NodeTestRunOutcome,
  nodeTestArguments,
  nodeTestRunResult,
  nodeTestSelection,
  summarizeNodeTestEvents,
} from "./node-test-events.js";
import { NODE_TEST_REPORTER_SOURCE } from "./node-test-reporter.js";
import { NODE_TEST_WARM_DRIVER_SOURCE } from "./node-test-warm-driver.js";
import { parseJsonLines, readReport, TEST_OUTPUT_LIMIT_BYTES } from "./test-process.js";
import type { TestRunnerResult, WarmRunOptions, WarmTestSession } from "./types.js";
import { selectableIds } from "./unfinished-tests.js";
import { oneRunAtATime, ReplaceableService, requestWithStartup } from "./warm-request.js";

export interface NodeTestWarmCommand {
  /** The runner's command (`node [options] --test [files]`). */
  argv: readonly string[];
  /** Environment assignments of the command. */
  env: Record<string, string>;
  /** Ids of suites seen in earlier runs, shared with the cold adapter (selection leaves them out of the pattern). */
  knownSuites: Set<string>;
  /** Project-relative test files of the cold adapter's last whole-suite run: what a warm whole-suite run runs. */
  suiteFiles: ReadonlySet<string>;
}

/** What only a process of its own can do; a test that needs it fails in a worker thread, so warm runs stop. */
const WORKER_LIMITATION = /ERR_WORKER_UNSUPPORTED_OPERATION|is not supported in workers/;

function answeredFields(line: string): { exitCode: number; error?: string } {
  try {
    const value = JSON.parse(line) as { exitCode?: unknown; error?: unknown };
    const exitCode = typeof value.exitCode === "number" ? value.exitCode : 1;
    return typeof value.error === "string" ? { exitCode, error: value.error } : { exitCode };
  } catch {
    return { exitCode: 1, error: `unexpected answer: ${line.slice(0, 200)}` };
  }
}

/**
 * Starts the process for `cwd` and returns the session. Each run answers like the cold adapter's `run({ testIds })`:
 * the same reporter, the same name pattern and options, one worker thread per selected file instead of one process.
 * A timeout or an abort kills the process group; the next run starts a new process.
 */
export function startNodeTestWarmSession(cwd: string, command: NodeTestWarmCommand): WarmTestSession {
  const root = resolve(cwd);
  const dir = mkdtempSync(join(tmpdir(), "rfsn-node-warm-"));
  const driverPath = join(dir, "rfsn-node-warm.mjs");
  const reporterPath = join(dir, "rfsn-node-reporter.mjs");
  writeFileSync(driverPath, NODE_TEST_WARM_DRIVER_SOURCE);
  writeFileSync(reporterPath, NODE_TEST_REPORTER_SOURCE);
  grantToSandboxedRuns(dir, root);
  const node = command.argv[0] ?? "node";
  // `--test` means nothing in a worker (commands with other runner-only options get no warm session); loaders,
  // conditions and the like apply as given.
  const options = nodeTestArguments(command.argv).options.filter((option) => option !== "--test");
  const env = { CI: "true", NO_COLOR: "1", FORCE_COLOR: "0", ...command.env };
  let closed = false;
  let runCount = 0;
  const service = new ReplaceableService(() =>
    startServiceProcess([node, driverPath], { cwd: root, env, maxOutputBytes: TEST_OUTPUT_LIMIT_BYTES }),
  );
  service.live();

  const runOnce = async (runOptions: WarmRunOptions): Promise<TestRunnerResult> => {
    const started = performance.now();
    const selected = selectableIds(runOptions.testIds, command.argv);
    // The whole suite is every file of the last cold whole-suite run, each run whole (no name pattern).
    const selection =
      runOptions.testIds === undefined
        ? { files: [...command.suiteFiles], pattern: undefined }
        : nodeTestSelection(selected, command.knownSuites);
    const patternOptions =
      selection.pattern === undefined ? [] : [`--test-name-pattern=${selection.pattern}`];
    const shownCommand = [node, ...options, ...patternOptions, ...selection.files];
    const finish = (outcome: Omit<NodeTestRunOutcome, "durationMs">, events: string[]) =>
      nodeTestRunResult({
        argv: command.argv,
        command: shownCommand,
        outcome: { ...outcome, durationMs: Math.round(performance.now() - started) },
        summary: summarizeNodeTestEvents(
          events.flatMap((text) => parseJsonLines(text)),
          root,
        ),
        timeoutMs: runOptions.timeoutMs,
        selected,
      });
    const failed = (startError: string) =>
      finish({ exitCode: null, signal: null, timedOut: false, output: "", startError }, []);
    if (closed) return failed("the warm node:test session was closed");
    if (selection.files.length === 0) return failed("no test file was selected for a warm run");

    runCount += 1;
    const runs = selection.files.map((file, index) => {
      const eventsPath = join(dir, `events-${runCount}-${index}.jsonl`);
      return {
        file: resolve(root, file),
        eventsPath,
        execArgv: [
          `--test-reporter=${reporterPath}`,
          `--test-reporter-destination=${eventsPath}`,
          "--test-reporter=spec",
          "--test-reporter-destination=stdout",
          ...options,
          ...patternOptions,
        ],
      };
    });
    const answer = await requestWithStartup(
      service.live(),
      JSON.stringify({ runs: runs.map(({ file, execArgv }) => ({ file, execArgv })) }),
      runOptions,
    );
    const events = await Promise.all(runs.map(async (run) => (await readReport(run.eventsPath)) ?? ""));
    await Promise.all(runs.map((run) => rm(run.eventsPath, { force: true })));
    const output = answer.output;
    switch (answer.kind) {
      case "timeout":
        return finish({ exitCode: null, signal: "SIGKILL", timedOut: true, output }, events);
      case "aborted":
        return finish({ exitCode: null, signal: "SIGKILL", timedOut: false, output }, events);
      case "exited":
        return finish(
          {
            exitCode: answer.exitCode,
            signal: answer.signal,
            timedOut: false,
            output,
            startError:
              answer.startError ??
              `the warm node:test process ended (exit code ${answer.exitCode}, signal ${answer.signal}) before answering`,
          },
          events,
        );
      case "answer": {
        const { exitCode, error } = answeredFields(answer.line);
        const result = finish(
          { exitCode, signal: null, timedOut: false, output, ...(error ? { startError: error } : {}) },
          events,
        );
        const limitation = result.tests.find(
          (test) => test.status === "failed" && WORKER_LIMITATION.test(`${test.message ?? ""}`),
        );
        if (limitation && !result.setupError)
          result.setupError = `a test needs a process of its own: ${limitation.message ?? ""}`;
        return result;
      }
    }
  };

  return {
    run: oneRunAtATime(runOnce),
    runsWholeSuite: () => command.suiteFiles.size > 0,
    close() {
      closed = true;
      service.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
