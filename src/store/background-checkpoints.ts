// Moves SQLite's WAL checkpoints off the event loop: a worker thread checkpoints while the main connection only appends.
import { Worker } from "node:worker_threads";
import type { Database } from "./database.js";

export interface BackgroundCheckpoints {
  /** Stops the worker after a last checkpoint and gives automatic checkpoints back to the main connection. */
  stop(): Promise<void>;
}

export interface BackgroundCheckpointOptions {
  /** How often the worker checkpoints (default 250 ms). */
  intervalMs?: number;
}

/**
 * A checkpoint copies the write-ahead log into the database file; done by the connection that commits, it blocks that
 * commit (several ms for a few MB of webhook payloads). Here the main connection stops checkpointing and a worker
 * thread with its own connection does it on a timer. In-memory databases are left as they are.
 */
export async function startBackgroundCheckpoints(
  database: Database,
  options: BackgroundCheckpointOptions = {},
): Promise<BackgroundCheckpoints> {
  if (database.memory || database.readonly) return { stop: async () => {} };
  const automatic = Number(database.pragma("wal_autocheckpoint", { simple: true }));
  const worker = new Worker(new URL("./checkpoint-worker.js", import.meta.url), {
    workerData: { path: database.name, intervalMs: options.intervalMs ?? 250, busyTimeoutMs: 1_000 },
  });
  const answer = (expected: string) =>
    new Promise<void>((resolve, reject) => {
      const onMessage = (message: unknown) => {
        if (message !== expected) return;
        worker.off("error", reject);
        worker.off("message", onMessage);
        resolve();
      };
      worker.on("message", onMessage);
      worker.once("error", reject);
    });
  try {
    await answer("started");
  } catch {
    await worker.terminate();
    return { stop: async () => {} };
  }
  worker.unref();
  database.pragma("wal_autocheckpoint = 0");
  let stopped: Promise<void> | undefined;
  return {
    stop: () => {
      stopped ??= (async () => {
        const done = answer("stopped").catch(() => undefined);
        worker.postMessage("stop");
        await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 2_000))]);
        await worker.terminate();
        if (database.open) database.pragma(`wal_autocheckpoint = ${automatic}`);
      })();
      return stopped;
    },
  };
}
