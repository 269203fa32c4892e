// Runs a child process from an argv array (never a shell) in its own process group, with a timeout, capped output and a scrubbed environment.
import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { delimiter, join as joinPath, resolve as resolvePath } from "node:path";
import { performance } from "node:perf_hooks";
import { execa } from "execa";
import { scrubbedEnvironment, trustedEnvironment } from "./environment.js";
import {
  newRunMarker,
  procCtimeIsReliable,
  RUN_MARKER_VARIABLE,
  sweepMarkedProcesses,
} from "./process-sweep.js";
import { currentSandbox } from "./sandbox/session-sandbox.js";

export interface RunProcessOptions {
  cwd: string;
  /** Added on top of the base environment; `undefined` removes a variable. Secret names are dropped unless trusted. */
  env?: Record<string, string | undefined>;
  /** Default false: the child gets `scrubbedEnvironment(process.env)` + `env`. True: `process.env` + `env`. */
  trusted?: boolean;
  /** Kill the whole process group after this long (no limit when absent). */
  timeoutMs?: number;
  /** Cap for each of stdout, stderr and the combined output; the head and the tail are kept. Default 10 MiB. */
  maxOutputBytes?: number;
  input?: string;
  /** Time between SIGTERM and SIGKILL on timeout. Default 2000. */
  killGraceMs?: number;
  /** Aborting kills the whole run at once (SIGKILL); the result then reports the signal. */
  signal?: AbortSignal;
  /** Called once the process has been started (not when it cannot start). */
  onStarted?: () => void;
}

export interface ProcessResult {
  argv: string[];
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  durationMs: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved in arrival order. */
  output: string;
  truncated: boolean;
  /** Set when the command could not be started at all, e.g. "command not found: foo". */
  startError?: string;
}

export const DEFAULT_MAX_OUTPUT_BYTES = 10 * 1024 * 1024;
const DEFAULT_KILL_GRACE_MS = 2_000;
/** How long to keep reading after the direct child exited, for output still in the pipes. */
const DRAIN_AFTER_EXIT_MS = 1_000;

/** Keeps the first and last bytes of a stream, counting what falls in between. */
export class HeadTailBuffer {
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private total = 0;
  private readonly headLimit: number;
  private readonly tailLimit: number;

  constructor(private readonly limit: number) {
    this.headLimit = Math.ceil(limit / 2);
    this.tailLimit = limit - this.headLimit;
  }

  get truncated(): boolean {
    return this.total > this.limit;
  }

  push(chunk: Buffer): void {
    this.total += chunk.length;
    let rest = chunk;
    if (this.headBytes < this.headLimit) {
      const take = Math.min(this.headLimit - this.headBytes, rest.length);
      this.head.push(rest.subarray(0, take));
      this.headBytes += take;
      rest = rest.subarray(take);
    }
    if (rest.length === 0 || this.tailLimit === 0) return;
    this.tail.push(rest);
    this.tailBytes += rest.length;
    while (this.tail.length > 1 && this.tailBytes - (this.tail[0]?.length ?? 0) >= this.tailLimit) {
      this.tailBytes -= this.tail.shift()?.length ?? 0;
    }
  }

  toString(): string {
    const head = Buffer.concat(this.head);
    const tailAll = Buffer.concat(this.tail);
    if (!this.truncated) return Buffer.concat([head, tailAll]).toString("utf8");
    const tail = tailAll.subarray(Math.max(0, tailAll.length - this.tailLimit));
    const kept = trimIncompleteUtf8End(head).length + skipUtf8Continuation(tail).length;
    const dropped = this.total - kept;
    return `${trimIncompleteUtf8End(head).toString("utf8")}\n[… ${dropped} bytes truncated by rfsn …]\n${skipUtf8Continuation(tail).toString("utf8")}`;
  }
}

/** Drops a trailing, incomplete UTF-8 sequence so that a cut never yields a replacement character. */
function trimIncompleteUtf8End(bytes: Buffer): Buffer {
  let start = bytes.length - 1;
  let continuation = 0;
  while (start >= 0 && continuation < 3 && ((bytes[start] ?? 0) & 0xc0) === 0x80) {
    start -= 1;
    continuation += 1;
  }
  if (start < 0) return bytes;
  const lead = bytes[start] ?? 0;
  const needed = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : 0;
  return needed > continuation ? bytes.subarray(0, start) : bytes;
}

/** Drops leading UTF-8 continuation bytes (the end of a character cut in half). */
function skipUtf8Continuation(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length && start < 3 && ((bytes[start] ?? 0) & 0xc0) === 0x80) start += 1;
  return bytes.subarray(start);
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

/**
 * Ends what is left of a run: its process group, then every process carrying its marker, i.e. daemons that left
 * the group with setsid() or a double fork (Linux only; see process-sweep.ts).
 */
export function killRun(pid: number, marker: string, startedAfterMs: number | undefined): void {
  killGroup(pid, "SIGKILL");
  sweepMarkedProcesses([marker], startedAfterMs === undefined ? {} : { startedAfterMs });
}

/** Runs still going (process group → marker); killed if this process exits first, so no test run outlives RFSN. */
const liveRuns = new Map<number, string>();
let exitHookInstalled = false;

/** Forgets a run that ended (its group was killed or it exited). */
export function untrackRun(pid: number): void {
  liveRuns.delete(pid);
}

export function trackRun(pid: number, marker: string): void {
  liveRuns.set(pid, marker);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const group of liveRuns.keys()) killGroup(group, "SIGKILL");
    sweepMarkedProcesses(liveRuns.values());
  });
}

export function describeStartError(command: string, error: NodeJS.ErrnoException): string {
  if (error.code === "ENOENT") return `command not found: ${command}`;
  if (error.code === "EACCES") return `permission denied: ${command}`;
  return `could not start ${command}: ${error.message}`;
}

export function directoryProblem(cwd: string): string | undefined {
  try {
    return statSync(cwd).isDirectory() ? undefined : `working directory is not a directory: ${cwd}`;
  } catch {
    return `working directory does not exist: ${cwd}`;
  }
}

/** True when `command` names an existing file: as a path (relative to `cwd`), or found in a directory of `path`. */
function commandExists(command: string, cwd: string, path: string | undefined): boolean {
  if (command.includes("/")) return existsSync(resolvePath(cwd, command));
  return (path ?? "").split(delimiter).some((dir) => dir !== "" && existsSync(joinPath(dir, command)));
}

export interface SpawnedChild {
  child: ReturnType<typeof execa>;
  /** The RUN_MARKER_VARIABLE value every process of this run inherits. */
  marker: string;
  spawnedAt: number;
}

/**
 * Starts `command` in a process group of its own, with the run's marker set last in a scrubbed (or, when trusted,
 * the full) environment, never through a shell. An untrusted command runs in the session's sandbox when one is open
 * (another uid, own PID namespace, closed network, private HOME/TMPDIR; see sandbox/session-sandbox.ts). Throws when
 * the command cannot be started at all.
 */
export function spawnInOwnGroup(
  command: string,
  args: string[],
  options: Pick<RunProcessOptions, "cwd" | "env" | "trusted">,
  io: { input: string } | { stdin: "ignore" } | { stdio: ["pipe", "pipe", "pipe", "pipe"] },
): SpawnedChild {
  // Every process of this run inherits the marker (set last: `options.env` can neither change nor remove it).
  const marker = newRunMarker();
  const sandbox = options.trusted ? null : currentSandbox();
  const launch = sandbox ? sandbox.launch(command, args, options.cwd) : { argv: [command, ...args], env: {} };
  const env: Record<string, string> = {
    ...(options.trusted
      ? trustedEnvironment(process.env, options.env)
      : scrubbedEnvironment(process.env, options.env)),
    ...launch.env,
    [RUN_MARKER_VARIABLE]: marker,
  };
  // Inside the sandbox a missing command would only show as setpriv's exit code 127: report it like execa does.
  if (sandbox && launch.argv[0] !== command && !commandExists(command, options.cwd, env.PATH)) {
    throw Object.assign(new Error(`spawn ${command} ENOENT`), { code: "ENOENT" });
  }
  const [launchCommand = command, ...launchArgs] = launch.argv;
  const spawnedAt = Date.now();
  const child = execa(launchCommand, launchArgs, {
    cwd: options.cwd,
    env,
    extendEnv: false,
    detached: true,
    cleanup: true,
    buffer: false,
    encoding: "buffer",
    reject: false,
    windowsHide: true,
    ...io,
  });
  // execa's own promise settles when the streams end; callers decide when the run is over themselves.
  child.catch(() => undefined);
  return { child, marker, spawnedAt };
}

/** Runs `argv` and reports how it ended. Never throws for a non-zero exit, a signal, a timeout or a failed start. */
export async function runProcess(argv: string[], options: RunProcessOptions): Promise<ProcessResult> {
  const started = performance.now();
  const limit = Math.max(0, options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES);
  const stdout = new HeadTailBuffer(limit);
  const stderr = new HeadTailBuffer(limit);
  const combined = new HeadTailBuffer(limit);
  const finish = (
    fields: Pick<ProcessResult, "exitCode" | "signal" | "timedOut"> & { startError?: string },
  ) => {
    const result: ProcessResult = {
      argv: [...argv],
      exitCode: fields.exitCode,
      signal: fields.signal,
      timedOut: fields.timedOut,
      durationMs: Math.round(performance.now() - started),
      stdout: stdout.toString(),
      stderr: stderr.toString(),
      output: combined.toString(),
      truncated: stdout.truncated || stderr.truncated || combined.truncated,
    };
    if (fields.startError !== undefined) result.startError = fields.startError;
    return result;
  };

  const [command, ...args] = argv;
  if (!command) return finish({ exitCode: null, signal: null, timedOut: false, startError: "empty command" });
  const cwdProblem = directoryProblem(options.cwd);
  if (cwdProblem) return finish({ exitCode: null, signal: null, timedOut: false, startError: cwdProblem });

  let spawned: SpawnedChild;
  try {
    spawned = spawnInOwnGroup(
      command,
      args,
      options,
      options.input !== undefined ? { input: options.input } : { stdin: "ignore" },
    );
  } catch (error) {
    return finish({
      exitCode: null,
      signal: null,
      timedOut: false,
      startError: describeStartError(command, error as NodeJS.ErrnoException),
    });
  }
  const { child, marker, spawnedAt } = spawned;
  const pid = child.pid;
  if (pid !== undefined) {
    trackRun(pid, marker);
    options.onStarted?.();
  }
  // The sweep may skip processes older than the run when procfs stamps them as expected (checked on the child).
  const startedAfterMs = pid !== undefined && procCtimeIsReliable(pid, spawnedAt) ? spawnedAt : undefined;

  return await new Promise<ProcessResult>((resolve) => {
    const timers: NodeJS.Timeout[] = [];
    let timedOut = false;
    let settled = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

    const settle = (result: ProcessResult) => {
      if (settled) return;
      settled = true;
      if (pid !== undefined) {
        untrackRun(pid);
        // Normally done on exit; this is for a child that never exited (stuck in the kernel).
        if (!exit) killRun(pid, marker, startedAfterMs);
      }
      for (const timer of timers) clearTimeout(timer);
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve(result);
    };
    const settleWithExit = () => {
      if (!exit) return;
      settle(finish({ exitCode: exit.code, signal: exit.signal, timedOut }));
    };

    const collect = (target: HeadTailBuffer) => (chunk: Buffer | string) => {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      target.push(bytes);
      combined.push(bytes);
    };
    child.stdout?.on("data", collect(stdout));
    child.stderr?.on("data", collect(stderr));
    child.stdout?.on("error", () => undefined);
    child.stderr?.on("error", () => undefined);
    child.stdin?.on("error", () => undefined);

    child.on("error", (error: NodeJS.ErrnoException) => {
      if (child.pid === undefined) {
        settle(
          finish({
            exitCode: null,
            signal: null,
            timedOut: false,
            startError: describeStartError(command, error),
          }),
        );
      }
    });

    child.on("exit", (code, signal) => {
      exit = { code, signal };
      // The run is over: whatever the command left behind, in its group or not, goes with it.
      if (pid !== undefined) killRun(pid, marker, startedAfterMs);
      // Wait for the pipes to drain, but not for a daemon that escaped the group and holds them open.
      timers.push(setTimeout(settleWithExit, DRAIN_AFTER_EXIT_MS));
    });
    child.on("close", settleWithExit);

    if (options.timeoutMs !== undefined && pid !== undefined) {
      const grace = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
      timers.push(
        setTimeout(
          () => {
            if (exit || settled) return;
            timedOut = true;
            killGroup(pid, "SIGTERM");
            timers.push(setTimeout(() => killGroup(pid, "SIGKILL"), grace));
            // Last resort for a child that cannot be reaped (e.g. stuck in the kernel): stop waiting for it.
            timers.push(
              setTimeout(
                () => settle(finish({ exitCode: null, signal: null, timedOut: true })),
                grace + 5_000,
              ),
            );
          },
          Math.max(0, options.timeoutMs),
        ),
      );
    }

    const abortSignal = options.signal;
    if (abortSignal && pid !== undefined) {
      const abort = () => {
        if (!exit && !settled) killGroup(pid, "SIGKILL");
      };
      if (abortSignal.aborted) abort();
      else {
        abortSignal.addEventListener("abort", abort, { once: true });
        child.on("exit", () => abortSignal.removeEventListener("abort", abort));
      }
    }
  });
}

export class ProcessFailedError extends Error {
  constructor(readonly result: ProcessResult) {
    const lastLines = (result.startError ?? result.output).trim().split("\n").slice(-10).join("\n");
    const how = result.timedOut
      ? "timed out"
      : result.signal
        ? `was killed by ${result.signal}`
        : result.startError
          ? "could not start"
          : `exited with code ${result.exitCode}`;
    super(`\`${result.argv.join(" ")}\` ${how}${lastLines ? `:\n${lastLines}` : ""}`);
    this.name = "ProcessFailedError";
  }
}

/** Like runProcess, but throws ProcessFailedError unless the command exits with code 0 (for trusted tools like git). */
export async function runProcessOrThrow(argv: string[], options: RunProcessOptions): Promise<ProcessResult> {
  const result = await runProcess(argv, options);
  if (result.exitCode !== 0 || result.timedOut || result.startError !== undefined) {
    throw new ProcessFailedError(result);
  }
  return result;
}

/**
 * Runs a trusted tool synchronously (argv array, no shell, output ignored) and says whether it exited with 0. For the
 * few places that cannot wait: probing the sandbox once, and removing its network namespace while RFSN exits.
 */
export function runTrustedToolSync(argv: readonly string[], timeoutMs = 10_000): boolean {
  const [command, ...args] = argv;
  if (!command) return false;
  try {
    execFileSync(command, args, { stdio: "ignore", timeout: timeoutMs, cwd: "/" });
    return true;
  } catch {
    return false;
  }
}

/** Runs `argv` with this process's stdin, stdout and stderr (no shell) and resolves with its exit code. */
export async function runInheritingStdio(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [command, ...args] = argv;
  if (!command) return 127;
  const result = await execa(command, args, { stdio: "inherit", reject: false, env, extendEnv: false });
  return result.exitCode ?? 1;
}
