// Tells, in process, whether anything in a small directory tree changed since a snapshot: an entry added or removed, a file rewritten.
import type { BigIntStats } from "node:fs";
import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";

/** What identifies one version of a file: a rewrite changes the modification time (nanoseconds) or more. */
interface FileStamp {
  size: bigint;
  mtimeNs: bigint;
  ino: bigint;
  mode: number;
}

function stampOf(stats: BigIntStats): FileStamp {
  return { size: stats.size, mtimeNs: stats.mtimeNs, ino: stats.ino, mode: Number(stats.mode) };
}

function sameStamp(left: FileStamp, right: FileStamp): boolean {
  return (
    left.size === right.size &&
    left.mtimeNs === right.mtimeNs &&
    left.ino === right.ino &&
    left.mode === right.mode
  );
}

/** Entries of a directory (project-relative paths, `/`-separated) that the snapshot leaves out, with all below them. */
export type SkippedPath = (path: string) => boolean;

export class TreeSnapshot {
  private constructor(
    private readonly root: string,
    private readonly skipped: SkippedPath,
    /** Every directory walked ("" is the root) with the names of its entries. */
    private readonly directories: Map<string, Set<string>>,
    private readonly files: Map<string, FileStamp>,
  ) {}

  /** Walks `root`; null when it holds more than `limit` entries (checking it would cost more than asking git). */
  static async take(root: string, skipped: SkippedPath, limit: number): Promise<TreeSnapshot | null> {
    const directories = new Map<string, Set<string>>();
    const files = new Map<string, FileStamp>();
    const pending = [""];
    let entries = 0;
    while (pending.length > 0) {
      const directory = pending.pop() as string;
      const names = new Set<string>();
      directories.set(directory, names);
      for (const entry of await readdir(join(root, directory), { withFileTypes: true })) {
        const path = directory ? `${directory}/${entry.name}` : entry.name;
        if (skipped(path)) continue;
        entries += 1;
        if (entries > limit) return null;
        names.add(entry.name);
        if (entry.isDirectory()) pending.push(path);
        else files.set(path, stampOf(await lstat(join(root, path), { bigint: true })));
      }
    }
    return new TreeSnapshot(root, skipped, directories, files);
  }

  /** Whether anything but the files in `except` differs from the snapshot. */
  async changedBesides(except: ReadonlySet<string>): Promise<boolean> {
    for (const [directory, names] of this.directories) {
      const now = await readdir(join(this.root, directory)).catch(() => null);
      if (!now) return true;
      const kept = now.filter((name) => !this.skipped(directory ? `${directory}/${name}` : name));
      if (kept.length !== names.size || kept.some((name) => !names.has(name))) return true;
    }
    for (const [path, stamp] of this.files) {
      if (except.has(path)) continue;
      const stats = await lstat(join(this.root, path), { bigint: true }).catch(() => null);
      if (!stats || !sameStamp(stampOf(stats), stamp)) return true;
    }
    return false;
  }

  /** Takes the current version of these files as the snapshot's (after writing them back). */
  async restamp(paths: Iterable<string>): Promise<void> {
    for (const path of paths) {
      if (this.files.has(path))
        this.files.set(path, stampOf(await lstat(join(this.root, path), { bigint: true })));
    }
  }
}
