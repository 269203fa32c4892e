// Kills the processes whose environment carries a run's marker, so daemons that left the run's process group die with it (Linux /proc; a no-op elsewhere).
import { randomUUID } from "node:crypto";
import { closeSync, openSync, readdirSync, readSync, statSync } from "node:fs";

/**
 * The variable that marks every process of one run (inherited through fork, setsid and double forks). Its value is
 * not a secret, and its name must not look like one: `isSecretVariableName` would drop e.g. `RFSN_RUN_TOKEN`.
 */
export const RUN_MARKER_VARIABLE = "RFSN_RUN_ID";

/** A fresh, unique marker value for one run. */
export function newRunMarker(): string {
  return randomUUID();
}

export interface SweepOptions {
  /** Where procfs is mounted. Default `/proc`; when it does not exist the sweep does nothing. */
  procRoot?: string;
  /** Scan again while a pass still finds marked processes (one may fork while we scan). Default 3. */
  maxPasses?: number;
  /**
   * Wall-clock time (ms) before the run's first process was started. When set, a process whose `/proc/<pid>` inode
   * is older is skipped without reading its environment: procfs creates that inode on the first lookup, after the
   * process exists, and its ctime only moves forward, so an older ctime means the process predates the run.
   */
  startedAfterMs?: number;
}

/** procfs stamps inodes with the coarse clock (up to a tick behind `Date.now()`); allow for that and small steps. */
export const CLOCK_SLACK_MS = 1_000;

/** True when `/proc/<pid>` was created (looked up) before `sinceMs`, i.e. the process existed before then. */
function olderThan(procRoot: string, pid: string, sinceMs: number): boolean {
  const stats = statSync(`${procRoot}/${pid}`, { throwIfNoEntry: false });
  return stats === undefined || stats.ctimeMs < sinceMs;
}

/** True when procfs stamps `/proc/<pid>` no earlier than the process's start, which `startedAfterMs` relies on. */
export function procCtimeIsReliable(pid: number, startedAtMs: number, procRoot = "/proc"): boolean {
  try {
    return statSync(`${procRoot}/${pid}`).ctimeMs >= startedAtMs - CLOCK_SLACK_MS;
  } catch {
    return false;
  }
}

/** Reused between reads: most environments fit, a larger one grows it. */
let scratch = Buffer.allocUnsafe(64 * 1024);

/** The raw, NUL-separated environment of `pid`, or undefined when it cannot be read (gone, another user's). */
function readEnviron(procRoot: string, pid: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(`${procRoot}/${pid}/environ`, "r");
  } catch {
    return undefined; // ENOENT (exited while we scanned), EACCES (another user's process), …
  }
  try {
    let length = 0;
    for (;;) {
      if (length === scratch.length) {
        const larger = Buffer.allocUnsafe(scratch.length * 2);
        scratch.copy(larger, 0, 0, length);
        scratch = larger;
      }
      const read = readSync(fd, scratch, length, scratch.length - length, null);
      if (read === 0) return scratch.subarray(0, length);
      length += read;
    }
  } catch {
    return undefined; // ESRCH and friends: the process went away while we read it.
  } finally {
    closeSync(fd);
  }
}

/** True when `entry` is one whole NUL-separated entry of `environ` (not a part of a longer name or value). */
export function hasEnvironEntry(environ: Buffer, entry: Buffer): boolean {
  let at = environ.indexOf(entry);
  while (at !== -1) {
    const end = at + entry.length;
    if ((at === 0 || environ[at - 1] === 0) && (end === environ.length || environ[end] === 0)) return true;
    at = environ.indexOf(entry, at + 1);
  }
  return false;
}

function killOnePass(
  procRoot: string,
  entries: Buffer[],
  alreadyKilled: Set<number>,
  sinceMs: number | undefined,
): number[] {
  let names: string[];
  try {
    names = readdirSync(procRoot);
  } catch {
    return []; // No procfs (macOS, Windows): nothing to scan.
  }
  const killed: number[] = [];
  for (const name of names) {
    const first = name.charCodeAt(0);
    if (first < 48 || first > 57) continue; // not a pid: self, sys, cpuinfo, …
    const pid = Number(name);
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || alreadyKilled.has(pid)) continue;
    if (sinceMs !== undefined && olderThan(procRoot, name, sinceMs)) continue;
    const environ = readEnviron(procRoot, name);
    if (!environ || !entries.some((entry) => hasEnvironEntry(environ, entry))) continue;
    try {
      process.kill(pid, "SIGKILL");
      killed.push(pid);
    } catch {
      // ESRCH: it exited meanwhile; EPERM: not ours to kill.
    }
    alreadyKilled.add(pid);
  }
  return killed;
}

/**
 * SIGKILLs every live process (other than this one) whose environment holds exactly `RUN_MARKER_VARIABLE=<marker>`
 * for one of `markers`, and returns their pids. Synchronous, so it also works in an `exit` handler.
 * A process that cleared or rewrote its own environment is not found.
 */
export function sweepMarkedProcesses(markers: Iterable<string>, options: SweepOptions = {}): number[] {
  const entries = [...markers]
    .filter((marker) => marker.length > 0)
    .map((marker) => Buffer.from(`${RUN_MARKER_VARIABLE}=${marker}`));
  if (entries.length === 0) return [];
  const procRoot = options.procRoot ?? "/proc";
  const maxPasses = Math.max(1, options.maxPasses ?? 3);
  // A clock stepped back since the run started could make new processes look old: then read them all.
  const sinceMs =
    options.startedAfterMs !== undefined && Date.now() >= options.startedAfterMs
      ? options.startedAfterMs - CLOCK_SLACK_MS
      : undefined;
  const seen = new Set<number>();
  const killed: number[] = [];
  for (let pass = 0; pass < maxPasses; pass += 1) {
    const found = killOnePass(procRoot, entries, seen, sinceMs);
    killed.push(...found);
    if (found.length === 0) break;
  }
  return killed;
}
