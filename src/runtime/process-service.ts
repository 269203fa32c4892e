// Keeps one child process alive to answer requests one at a time over a line protocol on fd 3 (scrubbed environment, own process group).
import { performance } from "node:perf_hooks";
import type { Readable } from "node:stream";
import {
  DEFAULT_MAX_OUTPUT_BYTES,
  describeStartError,
  directoryProblem,
  HeadTailBuffer,
  killRun,
  spawnInOwnGroup,
  trackRun,
  untrackRun,
} from "./process.js";
import { procCtimeIsReliable } from "./process-sweep.js";

export interface ServiceProcessOptions {
  cwd: string;
  /** Added on top of the base environment; `undefined` removes a variable. Secret names are dropped unless trusted. */
  env?: Record<string, string | undefined>;
  /** Default false: the child gets `scrubbedEnvironment(process.env)` + `env`. */
  trusted?: boolean;
  /** Cap of the output kept per request (head and tail). Default 10 MiB. */
  maxOutputBytes?: number;
}

export interface ServiceRequestOptions {
  /** The process is killed when no answer came within this long. */
  timeoutMs: number;
  /** Aborting kills the process at once. */
  signal?: AbortSignal;
}

interface AnswerFields {
  /** stdout and stderr written while the request was being answered. */
  output: string;
  durationMs: number;
}

export type ServiceAnswer = AnswerFields &
  (
    | { kind: "answer"; line: string }
    /** The process ended (or never started) before answering; it cannot answer again. */
    | { kind: "exited"; exitCode: number | null; signal: string | null; startError?: string }
    /** No answer in time, or the request was aborted: the process was killed. */
    | { kind: "timeout" | "aborted" }
  );

export interface ServiceProcess {
  /** False once the process exited or was killed. */
  readonly alive: boolean;
  /** True until the process answered its first request (it may still be loading what it keeps warm). */
  readonly starting: boolean;
  /** Writes `line` to the process's stdin and waits for one line on its fd 3. One request at a time. */
  request(line: string, options: ServiceRequestOptions): Promise<ServiceAnswer>;
  /** Kills the process group and every process carrying the run's marker. Idempotent. */
  close(): void;
}

type Waiter = (event: { kind: "line"; line: string } | { kind: "exit" }) => void;

/** Starts `argv` and keeps it running until `close()`, a timeout or an abort; it must not exit between requests. */
export function startServiceProcess(argv: string[], options: ServiceProcessOptions): ServiceProcess {
  const limit = Math.max(0, options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES);
  let output = new HeadTailBuffer(limit);
  let waiter: Waiter | null = null;
  let exit: { exitCode: number | null; signal: string | null; startError?: string } | null = null;
  let busy = false;
  let answered = 0;

  const ended = (fields: NonNullable<typeof exit>) => {
    exit ??= fields;
    const wake = waiter;
    waiter = null;
    wake?.({ kind: "exit" });
  };

  let writeLine: (line: string) => void = () => {};
  /** An answer line; one that comes while no request waits (after a timeout, say) is stale and dropped. */
  const receiveLine = (line: string) => {
    const wake = waiter;
    waiter = null;
    wake?.({ kind: "line", line });
  };

  const [command, ...args] = argv;
  const problem = command ? directoryProblem(options.cwd) : "empty command";
  let kill = () => {};
  if (problem || !command) {
    exit = { exitCode: null, signal: null, startError: problem ?? "empty command" };
  } else {
    try {
      const { child, marker, spawnedAt } = spawnInOwnGroup(command, args, options, {
        stdio: ["pipe", "pipe", "pipe", "pipe"],
      });
      const pid = child.pid;
      const startedAfterMs = pid !== undefined && procCtimeIsReliable(pid, spawnedAt) ? spawnedAt : undefined;
      if (pid !== undefined) trackRun(pid, marker);
      kill = () => {
        if (pid === undefined) return;
        untrackRun(pid);
        killRun(pid, marker, startedAfterMs);
      };
      const collect = (chunk: Buffer | string) => output.push(Buffer.from(chunk));
      child.stdout?.on("data", collect);
      child.stderr?.on("data", collect);
      // The fourth pipe exists because spawnInOwnGroup was asked for it; execa's generic type cannot know: typed boundary.
      const answers = (child.stdio as unknown as Array<Readable | null>)[3];
      let partial = "";
      answers?.on("data", (chunk: Buffer | string) => {
        const parts = (partial + chunk.toString()).split("\n");
        partial = parts.pop() ?? "";
        for (const part of parts) receiveLine(part);
      });
      for (const stream of [child.stdin, child.stdout, child.stderr, answers])
        stream?.on("error", () => undefined);
      child.on("error", (error: NodeJS.ErrnoException) => {
        if (child.pid === undefined)
          ended({ exitCode: null, signal: null, startError: describeStartError(command, error) });
      });
      child.on("exit", (code, signal) => {
        kill();
        ended({ exitCode: code, signal });
      });
      writeLine = (line) => child.stdin?.write(line.endsWith("\n") ? line : `${line}\n`);
    } catch (error) {
      exit = {
        exitCode: null,
        signal: null,
        startError: describeStartError(command, error as NodeJS.ErrnoException),
      };
    }
  }

  type Event = "timeout" | "aborted" | { kind: "line"; line: string } | { kind: "exit" };
  const request = async (line: string, requestOptions: ServiceRequestOptions): Promise<ServiceAnswer> => {
    if (busy) throw new Error("a service process answers one request at a time");
    busy = true;
    const started = performance.now();
    output = new HeadTailBuffer(limit);
    const fields = () => ({ output: output.toString(), durationMs: Math.round(performance.now() - started) });
    try {
      if (exit) return { kind: "exited", ...exit, ...fields() };
      writeLine(line);
      const signal = requestOptions.signal;
      const event = await new Promise<Event>((resolve) => {
        const finish = (value: Event) => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          waiter = null;
          resolve(value);
        };
        const timer = setTimeout(() => finish("timeout"), Math.max(0, requestOptions.timeoutMs));
        const onAbort = () => finish("aborted");
        waiter = finish;
        signal?.addEventListener("abort", onAbort, { once: true });
        if (signal?.aborted) onAbort();
      });
      if (event === "timeout" || event === "aborted") {
        close();
        return { kind: event, ...fields() };
      }
      if (event.kind === "line") {
        answered += 1;
        return { kind: "answer", line: event.line, ...fields() };
      }
      return { kind: "exited", ...(exit ?? { exitCode: null, signal: null }), ...fields() };
    } finally {
      busy = false;
    }
  };

  const close = () => {
    kill();
    exit ??= { exitCode: null, signal: "SIGKILL" };
  };

  return {
    get alive() {
      return exit === null;
    },
    get starting() {
      return answered === 0;
    },
    request,
    close,
  };
}
