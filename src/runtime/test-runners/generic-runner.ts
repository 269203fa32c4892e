// The generic adapter for commands RFSN cannot add reporters to: one synthetic test that passes when the exit code is 0.
import { resolve } from "node:path";
import type { StackFrame, TestCaseResult } from "../../core/types.js";
import { parsePythonTraceback, parseV8Stack } from "./stack-frames.js";
import { processFields, runTestProcess } from "./test-process.js";
import type { TestRunner, TestRunnerResult, TestRunOptions } from "./types.js";
import { commandTestId, unfinishedMessage } from "./types.js";

const MESSAGE_LINES = 20;

/** Stack frames found anywhere in the output: V8 stack lines first, Python tracebacks otherwise. */
export function framesFromOutput(output: string, root: string): StackFrame[] {
  const v8 = parseV8Stack(output, root);
  return v8.length > 0 ? v8 : parsePythonTraceback(output, root);
}

export function createGenericRunner(argv: string[], commandEnv: Record<string, string>): TestRunner {
  const run = async (runOptions: TestRunOptions): Promise<TestRunnerResult> => {
    const cwd = resolve(runOptions.cwd);
    const processResult = await runTestProcess(argv, {
      cwd,
      timeoutMs: runOptions.timeoutMs,
      signal: runOptions.signal,
      onStarted: runOptions.onStarted,
      env: { ...commandEnv, ...runOptions.env },
    });
    const id = commandTestId(argv);
    const passed = processResult.exitCode === 0 && !processResult.timedOut;
    const test: TestCaseResult = { id, name: id, status: passed ? "passed" : "failed", frames: [] };
    if (!passed) {
      test.message = processResult.timedOut
        ? unfinishedMessage(runOptions.timeoutMs)
        : (processResult.startError ??
          (processResult.output.trim().split("\n").slice(-MESSAGE_LINES).join("\n") ||
            `exited with code ${processResult.exitCode ?? processResult.signal}`));
      test.frames = framesFromOutput(processResult.output, cwd);
    }
    const result: TestRunnerResult = {
      runner: "generic",
      argv,
      ...processFields(processResult),
      tests: processResult.startError ? [] : [test],
    };
    if (processResult.startError) result.setupError = processResult.startError;
    return result;
  };
  return { name: "generic", argv, supportsCoverage: false, cheapCoverage: false, run };
}
