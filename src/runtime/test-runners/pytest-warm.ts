// A warm pytest session: one Python process per worktree that runs the requested tests in-process, run after run, skipping pytest's start-up.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type ServiceAnswer, type ServiceProcess, startServiceProcess } from "../process-service.js";
import { grantToSandboxedRuns } from "../sandbox/session-sandbox.js";
import { pytestInterpreter } from "./pytest-interpreter.js";
import {
  pytestArguments,
  pytestEnvironment,
  pytestInvocation,
  writePytestPlugin,
} from "./pytest-invocation.js";
import { PYTEST_PLUGIN_MODULE } from "./pytest-plugin.js";
import { type PytestRunOutcome, pytestRunResult } from "./pytest-results.js";
import { PYTEST_WARM_DRIVER_MODULE, PYTEST_WARM_DRIVER_SOURCE } from "./pytest-warm-driver.js";
import { TEST_OUTPUT_LIMIT_BYTES, withReportDirectory } from "./test-process.js";
import type { TestRunnerResult, TestRunOptions, WarmRunOptions, WarmTestSession } from "./types.js";
import { oneRunAtATime, requestWithStartup } from "./warm-request.js";

export interface PytestWarmSessionOptions {
  /** The pytest command as given (`python3 -m pytest …` or `pytest …`). */
  argv: readonly string[];
  commandEnv: Record<string, string>;
  /** The worktree the process runs in. */
  cwd: string;
  /** Plugins to pass as `-p no:<name>`, as on a cold run. */
  blockedPlugins: () => Promise<readonly string[]>;
  /** A cold run, for commands whose Python interpreter cannot be told (the session then only forwards). */
  runCold: (options: TestRunOptions) => Promise<TestRunnerResult>;
}

interface Driver {
  /** Holds the driver and RFSN's plugin; removed on close. */
  dir: string;
  /** The process to start, absent when the interpreter is unknown. */
  argv?: string[];
  env: Record<string, string>;
}

async function prepareDriver(
  argv: readonly string[],
  commandEnv: Record<string, string>,
  cwd: string,
): Promise<Driver> {
  const dir = await mkdtemp(join(tmpdir(), "rfsn-pytest-warm-"));
  await writePytestPlugin(dir);
  const driverPath = join(dir, `${PYTEST_WARM_DRIVER_MODULE}.py`);
  await writeFile(driverPath, PYTEST_WARM_DRIVER_SOURCE);
  grantToSandboxedRuns(dir, cwd);
  const interpreter = await pytestInterpreter(pytestArguments(argv).prefix, cwd, commandEnv).catch(
    () => undefined,
  );
  // The same variables as a cold run (runTestProcess adds the first three); the driver sets RFSN_PYTEST_EVENTS per run.
  const env = {
    CI: "true",
    NO_COLOR: "1",
    FORCE_COLOR: "0",
    ...pytestEnvironment({ commandEnv, pluginDir: dir, cwd }),
  };
  if (!interpreter) return { dir, env };
  const firstPathEntry = interpreter.firstPathEntry === undefined ? [] : [interpreter.firstPathEntry];
  return { dir, env, argv: [...interpreter.argv, driverPath, PYTEST_PLUGIN_MODULE, ...firstPathEntry] };
}

function answeredExitCode(line: string): number | null {
  try {
    const answer: unknown = JSON.parse(line);
    const code = answer && typeof answer === "object" ? (answer as { exit?: unknown }).exit : undefined;
    return typeof code === "number" ? code : null;
  } catch {
    return null;
  }
}

/** How a request ended, in the terms of a cold run: a timeout or an abort killed the process (SIGKILL). */
function requestOutcome(answer: ServiceAnswer): PytestRunOutcome {
  const common = { durationMs: answer.durationMs, output: answer.output };
  switch (answer.kind) {
    case "answer":
      return { ...common, exitCode: answeredExitCode(answer.line), signal: null, timedOut: false };
    case "timeout":
      return { ...common, exitCode: null, signal: "SIGKILL", timedOut: true };
    case "aborted":
      return { ...common, exitCode: null, signal: "SIGKILL", timedOut: false };
    case "exited":
      return {
        ...common,
        exitCode: answer.exitCode,
        signal: answer.signal,
        timedOut: false,
        startError: answer.startError,
      };
  }
}

const CLOSED_OUTCOME: PytestRunOutcome = {
  exitCode: null,
  signal: null,
  timedOut: false,
  durationMs: 0,
  output: "",
  startError: "the warm pytest session was closed",
};

/**
 * Starts the Python process at once (so that pytest is imported while the engine prepares a candidate) and answers
 * each run like a cold run with `testIds` in `cwd`. A process that was killed or died is replaced on the next run.
 */
export function startPytestWarmSession(options: PytestWarmSessionOptions): WarmTestSession {
  const cwd = resolve(options.cwd);
  let closed = false;
  let service: ServiceProcess | undefined;
  const driver = prepareDriver(options.argv, options.commandEnv, cwd);
  const liveService = (start: string[], env: Record<string, string>): ServiceProcess => {
    if (!service?.alive)
      service = startServiceProcess(start, { cwd, env, maxOutputBytes: TEST_OUTPUT_LIMIT_BYTES });
    return service;
  };
  driver.then(
    (prepared) => {
      if (prepared.argv && !closed) liveService(prepared.argv, prepared.env);
    },
    () => undefined,
  );

  const runOnce = async (runOptions: WarmRunOptions): Promise<TestRunnerResult> => {
    const prepared = await driver.catch(() => undefined);
    const { testIds, timeoutMs, signal } = runOptions;
    const start = prepared?.argv;
    if (!prepared || !start)
      return options.runCold({ cwd, testIds, timeoutMs, ...(signal ? { signal } : {}) });
    const blocked = await options.blockedPlugins();
    return withReportDirectory(async (reportDir) => {
      const invocation = pytestInvocation(options.argv, reportDir, testIds, blocked);
      const request = JSON.stringify({
        args: invocation.args,
        events: invocation.eventsPath,
        junit: invocation.junitPath,
      });
      // A run that comes after close() does not start a new process.
      const outcome = closed
        ? CLOSED_OUTCOME
        : requestOutcome(await requestWithStartup(liveService(start, prepared.env), request, runOptions));
      return pytestRunResult({ argv: options.argv, invocation, outcome, cwd, timeoutMs });
    }, cwd);
  };

  return {
    run: oneRunAtATime(runOnce),
    runsWholeSuite: () => true,
    close: () => {
      closed = true;
      service?.close();
      driver.then((prepared) => rm(prepared.dir, { recursive: true, force: true })).catch(() => undefined);
    },
  };
}
