// Worker thread behind background-checkpoints.ts: its own connection checkpoints the WAL on a timer, off the main event loop.
import { parentPort, workerData } from "node:worker_threads";
import BetterSqlite3 from "better-sqlite3";

interface CheckpointSettings {
  path: string;
  intervalMs: number;
  busyTimeoutMs: number;
}

const settings = workerData as CheckpointSettings;
const database = new BetterSqlite3(settings.path, { timeout: settings.busyTimeoutMs });

const checkpoint = () => {
  try {
    // PASSIVE copies what it can without waiting for readers or blocking writers.
    database.pragma("wal_checkpoint(PASSIVE)");
  } catch {
    // Busy or closed: the next tick tries again.
  }
};

const timer = setInterval(checkpoint, settings.intervalMs);
parentPort?.on("message", (message: unknown) => {
  if (message !== "stop") return;
  clearInterval(timer);
  checkpoint();
  database.close();
  parentPort?.postMessage("stopped");
});
parentPort?.postMessage("started");
