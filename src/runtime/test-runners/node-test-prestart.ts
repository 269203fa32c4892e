// Keeps the next `node` process for a worktree's failing tests started ahead, held before it loads the test file.
import type { TestRunnerResult, WarmRunOptions, WarmTestSession } from "./types.js";

/**
 * Preloaded (`--import`) into a held process: it waits for RFSN's one line on stdin before node loads the test file,
 * so the file and the code it imports are read from disk only then. Without that line (RFSN went away) it exits.
 */
export const HOLD_PRELOAD_SOURCE = `// Written by RFSN at run time: holds this process until RFSN releases the run.
await new Promise((release) => {
  process.stdin.once("data", release);
  process.stdin.once("end", () => process.exit(1));
  process.stdin.once("error", () => process.exit(1));
});
process.stdin.destroy();
`;

/** Starts a held run of `testIds`; it runs when `heldUntil` resolves (with its timeout) and dies when it rejects. */
export type HeldLaunch = (
  testIds: string[],
  heldUntil: Promise<number>,
  signal: AbortSignal,
) => Promise<TestRunnerResult>;

interface Spare {
  key: string;
  release(timeoutMs: number): void;
  discard(): void;
  abort: AbortController;
  result: Promise<TestRunnerResult>;
}

/**
 * A `WarmTestSession` of fresh processes: each run uses a `node` process started while the previous run ran (so
 * its start-up, about half of a one-file run, is off the critical path) and is as fresh as a cold run, since it
 * loads nothing of the project before it is released.
 */
export class PrestartedNodeTests implements WarmTestSession {
  private spare: Spare | undefined;
  private closed = false;

  constructor(private readonly launch: HeldLaunch) {}

  private start(testIds: string[]): Spare {
    let release: (timeoutMs: number) => void = () => {};
    let cancel: (reason: Error) => void = () => {};
    const heldUntil = new Promise<number>((resolve, reject) => {
      release = resolve;
      cancel = reject;
    });
    heldUntil.catch(() => {});
    const abort = new AbortController();
    const result = this.launch([...testIds], heldUntil, abort.signal);
    result.catch(() => {});
    return {
      key: testIds.join("\n"),
      release,
      discard: () => cancel(new Error("the held process is no longer needed")),
      abort,
      result,
    };
  }

  async run(options: WarmRunOptions): Promise<TestRunnerResult> {
    const key = options.testIds.join("\n");
    let spare = this.spare;
    this.spare = undefined;
    if (spare && spare.key !== key) {
      spare.discard();
      spare = undefined;
    }
    const running = spare ?? this.start(options.testIds);
    const abort = () => running.abort.abort();
    if (options.signal?.aborted) abort();
    options.signal?.addEventListener("abort", abort, { once: true });
    running.release(options.timeoutMs);
    // The next process boots while this one runs, so that a run asked for right after this one finds it ready.
    if (!this.closed) this.spare = this.start(options.testIds);
    try {
      return await running.result;
    } finally {
      options.signal?.removeEventListener("abort", abort);
    }
  }

  close(): void {
    this.closed = true;
    this.spare?.discard();
    this.spare = undefined;
  }
}
