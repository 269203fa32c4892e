// The sandbox of the running repair session: which isolation it got, the uid of each worktree, private homes, the closed network, and locked git directories.
import {
  chmodSync,
  chownSync,
  lchownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { lockGitDirectory } from "./git-directory-lock.js";
import { type IsolationProbe, probeIsolation } from "./isolation-probe.js";
import { type ClosedNetwork, createClosedNetwork, removeOrphanedNamespaces } from "./network-namespace.js";
import { SandboxIdClaims } from "./sandbox-ids.js";
import {
  type IsolationLevel,
  privateDirectoriesEnvironment,
  type SandboxIdentity,
  sandboxArgv,
} from "./sandbox-launch.js";
import { toolchainDirectories } from "./toolchain-reach.js";

export interface SandboxOptions {
  /** Open the network to sandboxed runs (`sandbox.network: true` in `.github/rfsn.yml`). Default false. */
  network?: boolean;
  /** Use this level instead of probing (tests; `none` turns the sandbox off). Never above what the probe found. */
  forceLevel?: IsolationLevel;
}

/** What a session reports about its isolation. */
export interface IsolationSummary {
  level: IsolationLevel;
  network: "closed" | "open";
  detail: string;
}

/** Where claims of sandbox uids live: root-only, shared by every RFSN process of the machine. */
const CLAIM_DIR = "/run/rfsn-sandbox-ids";

const RANK: Record<IsolationLevel, number> = { none: 0, partial: 1, full: 2 };

/** Changes the owner of a tree without following symlinks (dependency links stay links to the source's dirs). */
export function chownTree(path: string, uid: number, gid: number): void {
  lchownSync(path, uid, gid);
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats?.isDirectory()) return;
  let entries: import("node:fs").Dirent[];
  try {
    entries = readdirSync(path, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) chownTree(child, uid, gid);
    else lchownSync(child, uid, gid);
  }
}

function describeIsolation(level: IsolationLevel, probe: IsolationProbe, networkOpen: boolean): string {
  if (level !== probe.level)
    return `sandbox turned down to \`${level}\` by the operator (the machine allows \`${probe.level}\`)`;
  if (level === "full" && networkOpen)
    return "another uid and its own PID namespace; the network is open (`sandbox.network: true`)";
  return probe.detail;
}

export class SessionSandbox {
  readonly summary: IsolationSummary;
  private readonly claims = new SandboxIdClaims(CLAIM_DIR);
  private readonly homes: string;
  private readonly worktreeIds = new Set<number>();
  private readonly identities = new Map<number, SandboxIdentity>();
  private readonly unlocks: Array<() => void> = [];
  private network: ClosedNetwork | null = null;
  private fallback: SandboxIdentity | null = null;
  private closed = false;

  constructor(options: SandboxOptions = {}, probe: IsolationProbe = probeIsolation()) {
    const forced = options.forceLevel;
    const level = forced !== undefined && RANK[forced] < RANK[probe.level] ? forced : probe.level;
    const networkOpen = options.network === true || level !== "full";
    this.summary = {
      level,
      network: networkOpen ? "open" : "closed",
      detail: describeIsolation(level, probe, networkOpen),
    };
    this.homes = mkdtempSync(join(tmpdir(), "rfsn-sandbox-"));
    if (level === "none") return;
    chmodSync(this.homes, 0o711);
    if (level === "full" && !networkOpen) {
      removeOrphanedNamespaces();
      this.network = createClosedNetwork();
    }
  }

  get level(): IsolationLevel {
    return this.summary.level;
  }

  /** The identity a new worktree's files are owned by and its runs use; null without a sandbox. */
  claimWorktreeIdentity(): SandboxIdentity | null {
    if (this.level === "none" || this.closed) return null;
    const identity = this.newIdentity();
    this.worktreeIds.add(identity.uid);
    return identity;
  }

  /** Gives a worktree's uid back (its files are removed by then). */
  releaseWorktreeIdentity(identity: SandboxIdentity): void {
    this.worktreeIds.delete(identity.uid);
    this.identities.delete(identity.uid);
    rmSync(identity.home, { recursive: true, force: true });
    this.claims.release(identity.uid);
  }

  /** The identity of a run in `cwd`: the owner of the worktree it is in, else the session's shared uid (no worktree write). */
  identityFor(cwd: string): SandboxIdentity | null {
    if (this.level === "none" || this.closed) return null;
    const owner = statSync(cwd, { throwIfNoEntry: false })?.uid;
    if (owner !== undefined && this.worktreeIds.has(owner)) {
      const identity = this.identities.get(owner);
      if (identity) return identity;
    }
    this.fallback ??= this.newIdentity();
    return this.fallback;
  }

  /** The argv and extra variables that run `command args` in `cwd` sandboxed (unchanged when the sandbox is off). */
  launch(
    command: string,
    args: readonly string[],
    cwd: string,
  ): { argv: string[]; env: Record<string, string> } {
    const identity = this.identityFor(cwd);
    if (!identity || this.level === "none") return { argv: [command, ...args], env: {} };
    return {
      argv: sandboxArgv(command, args, identity, {
        level: this.level,
        networkNamespace: this.network?.path ?? null,
      }),
      env: privateDirectoriesEnvironment(identity),
    };
  }

  /** Lets the runs in `cwd` write `dir` (a report or coverage directory RFSN made for them): chowned to their uid. */
  grantDirectory(dir: string, cwd: string): void {
    const identity = this.identityFor(cwd);
    if (!identity) return;
    chownTree(dir, identity.uid, identity.gid);
  }

  /** Keeps a git directory and its included config files from sandbox uids until the session closes. */
  lockGitDirectory(gitDir: string): void {
    if (this.level === "none" || this.closed) return;
    this.unlocks.push(lockGitDirectory(gitDir));
  }

  /**
   * Lets sandbox uids traverse (not list) every directory above `path`, so that dependency links into the user's
   * checkout resolve (e.g. a home directory of mode 0750); the modes are restored when the session closes, unless
   * `keep` (directories other sessions may need at the same time, such as those above an interpreter).
   */
  allowTraversalTo(path: string, options: { keep?: boolean } = {}): void {
    if (this.level === "none" || this.closed) return;
    let dir = path;
    for (;;) {
      const stats = statSync(dir, { throwIfNoEntry: false });
      if (stats?.isDirectory() && (stats.mode & 0o001) === 0) {
        const mode = stats.mode & 0o7777;
        chmodSync(dir, mode | 0o001);
        const restore = dir;
        if (!options.keep)
          this.unlocks.push(() => {
            try {
              chmodSync(restore, mode);
            } catch {
              // Removed meanwhile.
            }
          });
      }
      const parent = dirname(dir);
      if (parent === dir) return;
      dir = parent;
    }
  }

  /** Restores locked modes, removes the network namespace, the private homes and the uid claims. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const unlock of this.unlocks.splice(0).reverse()) unlock();
    this.network?.remove();
    this.network = null;
    rmSync(this.homes, { recursive: true, force: true });
    this.claims.releaseAll();
  }

  private newIdentity(): SandboxIdentity {
    const uid = this.claims.claim();
    const home = join(this.homes, String(uid));
    rmSync(home, { recursive: true, force: true });
    mkdirSync(join(home, "tmp"), { recursive: true, mode: 0o700 });
    chownSync(home, uid, uid);
    chownSync(join(home, "tmp"), uid, uid);
    chmodSync(home, 0o700);
    const identity = { uid, gid: uid, home };
    this.identities.set(uid, identity);
    return identity;
  }
}

let current: SessionSandbox | null = null;
let users = 0;
let exitHookInstalled = false;

/**
 * Opens the process's sandbox (or joins the one already open: sessions of one process share it) and returns a
 * handle whose `release()` closes it once every session released it.
 */
export function openSessionSandbox(options: SandboxOptions = {}): {
  sandbox: SessionSandbox;
  release: () => void;
} {
  if (!current) {
    current = new SessionSandbox(options);
    // Kept after the session: another RFSN process may be running tests with the same interpreters.
    for (const dir of toolchainDirectories(process.execPath, process.env.PATH ?? ""))
      current.allowTraversalTo(dir, { keep: true });
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.once("exit", () => current?.close());
    }
  }
  const sandbox = current;
  users += 1;
  let released = false;
  return {
    sandbox,
    release() {
      if (released) return;
      released = true;
      users -= 1;
      if (users === 0 && current === sandbox) {
        sandbox.close();
        current = null;
      }
    },
  };
}

/** The sandbox untrusted processes of this process run in, or null when no session opened one. */
export function currentSandbox(): SessionSandbox | null {
  return current;
}

/** Lets the sandboxed runs in `cwd` write `dir`, which RFSN made for them (reports, coverage, drivers); a no-op without a sandbox. */
export function grantToSandboxedRuns(dir: string, cwd: string): void {
  currentSandbox()?.grantDirectory(dir, cwd);
}
