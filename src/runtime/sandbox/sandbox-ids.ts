// Chooses uids for sandboxed runs: ids of a reserved range that no account uses, each claimed by one RFSN process at a time.
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";

/** The reserved range; ids present in /etc/passwd or /etc/group are never used. */
export const SANDBOX_ID_FIRST = 64200;
export const SANDBOX_ID_LAST = 64299;

/** Ids named in passwd/group-style text (third field of each line). */
export function idsInAccountFile(text: string): Set<number> {
  const ids = new Set<number>();
  for (const line of text.split("\n")) {
    const field = line.split(":")[2];
    if (field !== undefined && /^\d+$/.test(field)) ids.add(Number(field));
  }
  return ids;
}

/** The ids of the range that are neither a user nor a group in the given account files. */
export function freeIdsInRange(
  accountFiles: readonly string[],
  first = SANDBOX_ID_FIRST,
  last = SANDBOX_ID_LAST,
) {
  const used = new Set<number>();
  for (const text of accountFiles) for (const id of idsInAccountFile(text)) used.add(id);
  const free: number[] = [];
  for (let id = first; id <= last; id += 1) if (!used.has(id)) free.push(id);
  return free;
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export class SandboxIdsExhaustedError extends Error {
  constructor() {
    super(
      `No free sandbox uid in ${SANDBOX_ID_FIRST}-${SANDBOX_ID_LAST}: too many RFSN sessions run at once on this machine; wait for one to end.`,
    );
    this.name = "SandboxIdsExhaustedError";
  }
}

/**
 * Claims ids by creating `<claimDir>/<id>` exclusively (the file holds the claiming pid; a claim of a dead process is
 * taken over), so that concurrent RFSN processes on one machine never share a uid.
 */
export class SandboxIdClaims {
  private readonly held = new Set<number>();

  constructor(
    private readonly claimDir: string,
    private readonly free: () => number[] = () =>
      freeIdsInRange([readOrEmpty("/etc/passwd"), readOrEmpty("/etc/group")]),
  ) {}

  claim(): number {
    mkdirSync(this.claimDir, { recursive: true, mode: 0o700 });
    for (const id of this.free()) {
      if (this.held.has(id)) continue;
      const path = join(this.claimDir, String(id));
      if (this.tryCreate(path)) {
        this.held.add(id);
        return id;
      }
      const owner = Number(readOrEmpty(path).trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && !processAlive(owner)) {
        rmSync(path, { force: true });
        if (this.tryCreate(path)) {
          this.held.add(id);
          return id;
        }
      }
    }
    throw new SandboxIdsExhaustedError();
  }

  release(id: number): void {
    if (!this.held.delete(id)) return;
    rmSync(join(this.claimDir, String(id)), { force: true });
  }

  releaseAll(): void {
    for (const id of [...this.held]) this.release(id);
  }

  /** Ids claimed in `claimDir` by any process (for tests and diagnostics). */
  claimedIds(): number[] {
    try {
      return readdirSync(this.claimDir).map(Number).filter(Number.isInteger);
    } catch {
      return [];
    }
  }

  private tryCreate(path: string): boolean {
    try {
      const fd = openSync(path, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch {
      return false;
    }
  }
}
