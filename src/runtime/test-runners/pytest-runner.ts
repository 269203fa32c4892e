// The pytest adapter: adds a JUnit report and RFSN's plugin, selects node ids, parses results, frames and per-test coverage.
import { join, resolve } from "node:path";
import { pytestEnvironment, pytestInvocation, writePytestPlugin } from "./pytest-invocation.js";
import { unusedHeavyPlugins } from "./pytest-plugin-pruning.js";
import { coverageFromTrace, pytestRunResult } from "./pytest-results.js";
import { startPytestWarmSession } from "./pytest-warm.js";
import { readReport, runTestProcess, withReportDirectory } from "./test-process.js";
import type { TestRunner, TestRunnerResult, TestRunOptions } from "./types.js";

export { pytestArguments } from "./pytest-invocation.js";
export { coverageFromTrace, summarizePytestEvents, testsFromJunit } from "./pytest-results.js";

export function createPytestRunner(argv: string[], commandEnv: Record<string, string>): TestRunner {
  // Test files cannot change during a repair (the gate protects them), so the scan of the first run holds.
  let blocked: Promise<string[]> | undefined;
  const blockedPlugins = (cwd: string) => {
    blocked ??= unusedHeavyPlugins(resolve(cwd));
    return blocked;
  };
  const run = async (options: TestRunOptions) =>
    runPytest(argv, commandEnv, options, await blockedPlugins(options.cwd));
  return {
    name: "pytest",
    argv,
    supportsCoverage: true,
    cheapCoverage: true,
    run,
    startWarmSession: (cwd) =>
      startPytestWarmSession({
        argv,
        commandEnv,
        cwd,
        blockedPlugins: () => blockedPlugins(cwd),
        runCold: run,
      }),
  };
}

async function runPytest(
  argv: string[],
  commandEnv: Record<string, string>,
  runOptions: TestRunOptions,
  blockedPlugins: readonly string[],
): Promise<TestRunnerResult> {
  const cwd = resolve(runOptions.cwd);
  return withReportDirectory(async (dir) => {
    await writePytestPlugin(dir);
    const invocation = pytestInvocation(argv, dir, runOptions.testIds, blockedPlugins);
    const tracePath = join(dir, "trace.json");
    const processResult = await runTestProcess(invocation.command, {
      cwd,
      timeoutMs: runOptions.timeoutMs,
      signal: runOptions.signal,
      onStarted: runOptions.onStarted,
      env: {
        ...pytestEnvironment({ commandEnv, runEnv: runOptions.env, pluginDir: dir, cwd }),
        RFSN_PYTEST_EVENTS: invocation.eventsPath,
        ...(runOptions.coverage ? { RFSN_PYTEST_TRACE: tracePath } : {}),
      },
    });
    const result = await pytestRunResult({
      argv,
      invocation,
      outcome: processResult,
      cwd,
      timeoutMs: runOptions.timeoutMs,
    });
    if (runOptions.coverage) {
      const coverage = coverageFromTrace(await readReport(tracePath));
      if (coverage) result.coverage = coverage;
    }
    return result;
  }, cwd);
}
