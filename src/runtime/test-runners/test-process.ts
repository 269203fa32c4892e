// Starts a test command as an untrusted process (scrubbed environment, timeout) and manages the temporary report directory.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestRunResult } from "../../core/types.js";
import { type ProcessResult, runProcess } from "../process.js";
import { grantToSandboxedRuns } from "../sandbox/session-sandbox.js";

/** Output kept per run; test logs beyond this are cut in the middle. */
export const TEST_OUTPUT_LIMIT_BYTES = 4 * 1024 * 1024;

export interface TestProcessOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  timeoutMs: number;
  /** Aborting kills the process tree. */
  signal?: AbortSignal;
  onStarted?: () => void;
}

export function runTestProcess(argv: string[], options: TestProcessOptions): Promise<ProcessResult> {
  return runProcess(argv, {
    cwd: options.cwd,
    env: { CI: "true", NO_COLOR: "1", FORCE_COLOR: "0", ...options.env },
    trusted: false,
    timeoutMs: options.timeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onStarted ? { onStarted: options.onStarted } : {}),
    maxOutputBytes: TEST_OUTPUT_LIMIT_BYTES,
    killGraceMs: 1_000,
  });
}

/**
 * Runs `work` with a fresh temporary directory for reports and removes the directory afterwards. With `cwd`, the
 * sandboxed runs in it may write the directory (it belongs to their uid).
 */
export async function withReportDirectory<T>(work: (dir: string) => Promise<T>, cwd?: string): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "rfsn-tests-"));
  if (cwd !== undefined) grantToSandboxedRuns(dir, cwd);
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The text of a report file, or undefined when the runner did not write it. */
export async function readReport(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return undefined;
  }
}

/** Parses JSON lines, skipping lines that are not JSON objects (e.g. a record cut by a kill). */
export function parseJsonLines(text: string | undefined): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  for (const line of (text ?? "").split("\n")) {
    if (!line.trim()) continue;
    try {
      const value: unknown = JSON.parse(line);
      if (value && typeof value === "object" && !Array.isArray(value))
        records.push(value as Record<string, unknown>);
    } catch {
      // A partial line written just before the process was killed.
    }
  }
  return records;
}

/** The fields of a run result that come straight from the process. */
export function processFields(
  processResult: ProcessResult,
): Pick<TestRunResult, "exitCode" | "signal" | "timedOut" | "durationMs" | "output"> {
  return {
    exitCode: processResult.exitCode,
    signal: processResult.signal,
    timedOut: processResult.timedOut,
    durationMs: processResult.durationMs,
    output: processResult.output,
  };
}

/** Drops every option in `names` (and its value when given as a separate word) from `args`. */
export function withoutOptions(
  args: readonly string[],
  names: ReadonlySet<string>,
  withValue: ReadonlySet<string>,
): string[] {
  const kept: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const word = args[index] ?? "";
    const name = word.split("=", 1)[0] ?? word;
    if (names.has(name)) {
      if (!word.includes("=") && withValue.has(name)) index += 1;
      continue;
    }
    kept.push(word);
  }
  return kept;
}
