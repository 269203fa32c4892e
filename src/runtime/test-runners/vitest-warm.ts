// A warm vitest session: one vitest process kept alive in a worktree that runs the chosen tests again and again.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import type { TestCaseResult } from "../../core/types.js";
import { startServiceProcess } from "../process-service.js";
import { grantToSandboxedRuns } from "../sandbox/session-sandbox.js";
import { type JestReportSummary, parseJestJsonReport, stripAnsi } from "./jest-json-report.js";
import { fullNamePattern, jestSelection } from "./jest-runner.js";
import { readReport, TEST_OUTPUT_LIMIT_BYTES } from "./test-process.js";
import type { TestRunnerResult, WarmRunOptions, WarmTestSession } from "./types.js";
import { selectableIds, withUnfinishedTests } from "./unfinished-tests.js";
import { VITEST_WARM_DRIVER_SOURCE } from "./vitest-warm-driver.js";
import { oneRunAtATime, ReplaceableService, requestWithStartup } from "./warm-request.js";

/** What the warm process needs from the cold vitest command, so that both run the same vitest the same way. */
export interface VitestWarmCommand {
  /** The resolved cold command (the runner's argv): the source of the whole-command test id. */
  argv: readonly string[];
  /** `node` and its flags, as the cold command starts vitest. */
  node: readonly string[];
  /** The vitest script of the cold command, absolute or relative to the run's cwd (where `vitest/node` is resolved from when the project cannot). */
  vitestScript?: string;
  /** The user's vitest options (reporters, watch and name filters removed), parsed in the process by vitest's own CLI parser. */
  options: readonly string[];
  /** The user's file filters, used when no test is selected. */
  filters: readonly string[];
  /** Environment assignments of the cold command. */
  env: Record<string, string>;
  /** The cold command selecting `ids`, reported as the argv of a warm run. */
  commandFor(ids: readonly string[]): string[];
}

interface DriverAnswer {
  exitCode?: number;
  error?: string;
  restart?: boolean;
  initError?: string;
}

/** A config or package.json change makes the process restart; more than this many restarts in one run is a loop. */
const MAX_STARTS_PER_RUN = 2;

function parseAnswer(line: string): DriverAnswer {
  try {
    const value: unknown = JSON.parse(line);
    return value && typeof value === "object"
      ? (value as DriverAnswer)
      : { error: `unexpected answer: ${line}` };
  } catch {
    return { error: `unexpected answer: ${line.slice(0, 200)}` };
  }
}

/** Why a run of the given report produced no test results, worded like the cold adapter's (undefined when it did). */
function setupProblem(summary: JestReportSummary | undefined, exitCode: number | null): string | undefined {
  if ((summary?.executed ?? 0) > 0) return undefined;
  if (summary && summary.fileErrors.length > 0) {
    return `vitest could not load the test files: ${summary.fileErrors.join(", ")}`;
  }
  if (exitCode !== 0) return `vitest exited with code ${exitCode} before running any test`;
  return undefined;
}

function summaryOf(report: string | undefined, root: string): JestReportSummary | undefined {
  if (report === undefined) return undefined;
  try {
    return parseJestJsonReport(report, root);
  } catch {
    return undefined;
  }
}

/**
 * Starts the warm process for `cwd` (a project or worktree with the project's dependencies) and returns the session.
 * Runs answer like the cold adapter's `run({ testIds })`, from the same JSON report, each in a vitest worker of its
 * own that was started while the session waited for it (see vitest-warm-driver.ts); a timeout or an abort kills
 * the process group, a change of the vitest config (or package.json, tsconfig, global setup) restarts it, and the
 * next run after a death starts a new one.
 */
export function startVitestWarmSession(cwd: string, command: VitestWarmCommand): WarmTestSession {
  const root = resolve(cwd);
  const dir = mkdtempSync(join(tmpdir(), "rfsn-vitest-warm-"));
  const driverPath = join(dir, "rfsn-vitest-warm.mjs");
  const reportPath = join(dir, "report.json");
  writeFileSync(driverPath, VITEST_WARM_DRIVER_SOURCE);
  grantToSandboxedRuns(dir, root);
  const settings = JSON.stringify({
    options: command.options,
    reportPath,
    ...(command.vitestScript ? { vitestScript: command.vitestScript } : {}),
  });
  const env = { CI: "true", NO_COLOR: "1", FORCE_COLOR: "0", ...command.env };
  let closed = false;
  const service = new ReplaceableService(() =>
    startServiceProcess([...command.node, driverPath, settings], {
      cwd: root,
      env,
      maxOutputBytes: TEST_OUTPUT_LIMIT_BYTES,
    }),
  );
  service.live();

  const runOnce = async (options: WarmRunOptions): Promise<TestRunnerResult> => {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const selected = selectableIds(options.testIds, command.argv);
    const { files, fullNames } = jestSelection(selected);
    const argv = command.commandFor(selected);
    let output = "";
    const request = JSON.stringify({
      files: selected.length > 0 ? files : command.filters,
      pattern: fullNames.length > 0 ? fullNamePattern(fullNames) : null,
    });
    const result = (
      fields: Partial<TestRunnerResult> & Pick<TestRunnerResult, "tests">,
    ): TestRunnerResult => ({
      runner: "vitest",
      argv,
      exitCode: null,
      signal: null,
      timedOut: false,
      output,
      ...fields,
      durationMs: elapsed(),
    });
    if (closed) return result({ tests: [], setupError: "the warm vitest session was closed" });

    for (let start = 0; start < MAX_STARTS_PER_RUN; start += 1) {
      await rm(reportPath, { force: true });
      const answer = await requestWithStartup(service.live(), request, {
        ...options,
        timeoutMs: Math.max(0, options.timeoutMs - elapsed()),
      });
      output += answer.output;
      if (answer.kind === "exited") {
        const setupError =
          answer.startError ??
          `the warm vitest process ended (exit code ${answer.exitCode}, signal ${answer.signal}) before answering`;
        return result({ tests: [], exitCode: answer.exitCode, signal: answer.signal, setupError });
      }
      if (answer.kind !== "answer") {
        const tests = withUnfinishedTests({
          tests: [],
          timedOut: true,
          timeoutMs: options.timeoutMs,
          requestedIds: selected,
          argv: command.argv,
        });
        return result({ tests, timedOut: true, signal: "SIGKILL" });
      }
      const reply = parseAnswer(answer.line);
      if (reply.restart || reply.initError !== undefined) {
        // The process exits after either answer; the next request goes to a new one.
        service.drop();
      }
      if (reply.restart) continue;
      if (reply.initError !== undefined) {
        // The whole error is in the output (the process prints it before answering).
        const headline = stripAnsi(reply.initError).trim().split("\n")[0] ?? "";
        return result({ tests: [], exitCode: 1, setupError: `vitest could not start: ${headline}` });
      }
      const exitCode = typeof reply.exitCode === "number" ? reply.exitCode : 1;
      const summary = summaryOf(await readReport(reportPath), root);
      const tests: TestCaseResult[] = summary?.tests ?? [];
      const problem = setupProblem(summary, exitCode) ?? (summary ? undefined : reply.error);
      return result({ tests, exitCode, ...(problem ? { setupError: problem } : {}) });
    }
    return result({
      tests: [],
      setupError: "the warm vitest process kept restarting (its config keeps changing)",
    });
  };

  return {
    run: oneRunAtATime(runOnce),
    runsWholeSuite: () => true,
    close() {
      closed = true;
      service.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
