// Snapshots a project (including uncommitted work) into a base commit and hands out disposable git worktrees of it.
import { randomBytes } from "node:crypto";
import { symlinkSync } from "node:fs";
import {
  chmod,
  chown,
  copyFile,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  realpath,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import { applyFilePatch, createUnifiedDiff, type FilePatch, parseUnifiedDiff } from "../core/diff.js";
import { copyTree } from "./copy-tree.js";
import {
  git,
  identityEnvironment,
  listIgnoredTopLevel,
  unquoteGitPath,
  type WorkTreeFacts,
  workTreeFacts,
} from "./git.js";
import type { SandboxIdentity } from "./sandbox/sandbox-launch.js";
import { chownTree, currentSandbox } from "./sandbox/session-sandbox.js";
import { TreeSnapshot } from "./tree-snapshot.js";

export interface OpenRepositoryOptions {
  /** Default true: the base also contains uncommitted and untracked (not ignored) changes of the working tree. */
  includeUncommitted?: boolean;
}

export interface Worktree {
  /** The worktree's top directory. */
  dir: string;
  /**
   * Applies a unified diff (plain edits of text files directly, anything else with `git apply`); throws
   * PatchApplyError or PathEscapeError and then changes nothing.
   */
  applyDiff(diff: string): Promise<void>;
  /**
   * Puts the worktree back to the base commit, removing every change and untracked file (interpreter caches may
   * stay when only the worktree's own edits need undoing).
   */
  reset(): Promise<void>;
  /** True when the worktree holds the base commit and nothing else (interpreter caches and dependency links aside). */
  isPristine(): Promise<boolean>;
  /**
   * `git diff <base>` of the paths the applied diffs touch (new files included, files the tests wrote left out),
   * with `a/` and `b/` prefixes and no renames.
   */
  currentDiff(): Promise<string>;
  /** Removes the worktree; safe to call more than once, never throws. */
  dispose(): Promise<void>;
}

export interface SourceRepository {
  /** The project directory: the git work tree top, or the temporary repository a non-git directory was copied into. */
  root: string;
  baseCommit: string;
  /** The user's git work tree whose commit history describes the project, or null for a copied snapshot. */
  historyRoot: string | null;
  createWorktree(): Promise<Worktree>;
  /** Disposes every worktree it made and its temporary ref or directory; never throws. */
  dispose(): Promise<void>;
}

export class WorkspaceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WorkspaceError";
  }
}

export class PatchApplyError extends Error {
  constructor(readonly gitMessage: string) {
    super(`The patch does not apply: ${gitMessage.trim() || "git apply failed without a message"}`);
    this.name = "PatchApplyError";
  }
}

export class PathEscapeError extends Error {
  constructor(readonly path: string) {
    super(
      `The patch touches \`${path}\`, which is outside the workspace (absolute, \`..\`, .git or via a symlink).`,
    );
    this.name = "PathEscapeError";
  }
}

/** Dependency directories that are never copied and are linked into worktrees instead. */
export const DEPENDENCY_DIRECTORIES = ["node_modules", ".venv", "venv"];
const SNAPSHOT_SKIP = new Set([...DEPENDENCY_DIRECTORIES, "__pycache__", ".git"]);
/** Extra ignore rules for worktrees: dependency links and interpreter caches are never part of a change. */
const WORKTREE_EXCLUDES = [
  ...DEPENDENCY_DIRECTORIES.map((name) => `/${name}`),
  "__pycache__/",
  "*.py[co]",
  ".pytest_cache/",
];

/**
 * Makes `link` a directory of links to each entry of `target` (a sandboxed worktree's `node_modules`): the
 * packages are the source's, read-only to the sandbox, while tools that write next to them (vite's `.vite-temp`,
 * `.cache`) write into the worktree's own directory.
 */
async function linkEntries(target: string, link: string): Promise<void> {
  await mkdir(link);
  const entries = await readdir(target).catch(() => [] as string[]);
  // Hundreds of tiny calls: synchronous ones take a few milliseconds, a round trip through the thread pool each would not.
  for (const entry of entries)
    if (!TOOL_CACHE_ENTRIES.has(entry)) symlinkSync(join(target, entry), join(link, entry));
}

/** Directories tools write into inside node_modules: each sandboxed worktree gets its own, not the source's. */
const TOOL_CACHE_ENTRIES = new Set([".cache", ".vite", ".vite-temp", ".vitest"]);

/**
 * Whether a node_modules already holds a tool cache directory, which a sandbox uid could not write (vite fails on
 * an existing `.vite-temp` it cannot write, but falls back when it cannot create one). Only then does a worktree
 * get a directory of links (hundreds of symlinks, slow on a busy disk) instead of one link.
 */
async function holdsToolCaches(nodeModules: string): Promise<boolean> {
  for (const entry of TOOL_CACHE_ENTRIES) if (await exists(join(nodeModules, entry))) return true;
  return false;
}

/** Runs tasks one after another (git's worktree bookkeeping does not like concurrent changes). */
class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.tail.then(task, task);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Ignores a failure during cleanup: there is nothing more useful to do with it. */
async function quietly(task: () => Promise<unknown>): Promise<void> {
  try {
    await task();
  } catch {
    // Best effort.
  }
}

/** Commits the working tree (tracked changes and untracked, not-ignored files) on top of HEAD without touching the index or refs. */
async function snapshotWorkingTree(
  root: string,
  facts: WorkTreeFacts,
  scratch: string,
  skip: string[],
): Promise<string> {
  const indexFile = join(scratch, "snapshot-index");
  const head = facts.head?.commit ?? null;
  if (await exists(facts.indexFile)) await copyFile(facts.indexFile, indexFile);
  else if (head) await git(["read-tree", head], root, { env: { GIT_INDEX_FILE: indexFile } });
  const env = { GIT_INDEX_FILE: indexFile };
  const excluded = skip.map((name) => `:(top,exclude)${name}`);
  await git(["add", "-A", "--", ".", ...excluded], root, { env });
  const tree = (await git(["write-tree"], root, { env })).stdout.trim();
  if (head && facts.head?.tree === tree) return head;
  const parents = head ? ["-p", head] : [];
  const commit = await git(
    ["commit-tree", tree, ...parents, "-m", "rfsn: snapshot of the working tree"],
    root,
    {
      env: identityEnvironment(),
    },
  );
  return commit.stdout.trim();
}

/** Copies a non-git directory into a fresh repository with one commit. */
async function snapshotPlainDirectory(source: string, into: string): Promise<string> {
  await mkdir(into);
  // The repository is made while the files are copied (the copy leaves any `.git` of the source out).
  await Promise.all([copyTree(source, into, SNAPSHOT_SKIP), git(["init", "--quiet"], into)]);
  await git(["add", "-A"], into);
  await git(["commit", "--quiet", "--no-verify", "--allow-empty", "-m", "rfsn: snapshot"], into, {
    env: identityEnvironment(),
  });
  return (await git(["rev-parse", "HEAD"], into)).stdout.trim();
}

/** The paths a unified diff touches (prefixes already stripped) and the `-p` level that strips them for git apply. */
export function pathsInDiff(diff: string): { paths: string[]; strip: 0 | 1 } {
  const headerPaths: string[] = [];
  const plainPaths: string[] = [];
  let gitStyle = false;
  let allPrefixed = true;
  let oldRemaining = 0;
  let newRemaining = 0;
  const pathOf = (text: string) =>
    unquoteGitPath(text.startsWith('"') ? text : (text.split("\t")[0] ?? text));
  for (const line of diff.split("\n")) {
    if (oldRemaining > 0 || newRemaining > 0) {
      if (line.startsWith("\\")) continue;
      if (line.startsWith("-")) oldRemaining -= 1;
      else if (line.startsWith("+")) newRemaining -= 1;
      else {
        oldRemaining -= 1;
        newRemaining -= 1;
      }
      continue;
    }
    const hunk = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(line);
    if (hunk) {
      oldRemaining = hunk[1] === undefined ? 1 : Number(hunk[1]);
      newRemaining = hunk[2] === undefined ? 1 : Number(hunk[2]);
    } else if (line.startsWith("diff --git ")) {
      gitStyle = true;
      const rest = line.slice("diff --git ".length);
      if (rest.includes('"'))
        headerPaths.push(...(rest.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? []).map(unquoteGitPath));
      else {
        // `a/<path> b/<path>`: split in the middle when both halves name the same file, else at the last " b/".
        const half = (rest.length - 1) / 2;
        const middle = Number.isInteger(half) && rest[half] === " " ? half : rest.lastIndexOf(" b/");
        headerPaths.push(...(middle > 0 ? [rest.slice(0, middle), rest.slice(middle + 1)] : [rest]));
      }
    } else if (line.startsWith("--- ") || line.startsWith("+++ ")) {
      const path = pathOf(line.slice(4));
      if (path === "/dev/null") continue;
      headerPaths.push(path);
      if (!path.startsWith(line.startsWith("---") ? "a/" : "b/")) allPrefixed = false;
    } else {
      const named = /^(?:rename|copy) (?:from|to) (.*)$/.exec(line);
      if (named?.[1]) plainPaths.push(pathOf(named[1]));
    }
  }
  const strip = gitStyle || allPrefixed ? 1 : 0;
  // An absolute header path stays whole so that it is refused, even where `-p1` would make it relative.
  const stripped = headerPaths.map((path) =>
    strip === 1 && !isAbsolute(path) ? path.slice(path.indexOf("/") + 1) : path,
  );
  return { paths: [...new Set([...stripped, ...plainPaths])], strip };
}

async function assertInside(root: string, relativePath: string): Promise<void> {
  const parts = relativePath.split(/[\\/]/).filter((part) => part !== "" && part !== ".");
  if (
    relativePath.includes("\0") ||
    isAbsolute(relativePath) ||
    /^[A-Za-z]:/.test(relativePath) ||
    parts.includes("..") ||
    parts.some((part) => part.toLowerCase() === ".git") ||
    parts.length === 0
  ) {
    throw new PathEscapeError(relativePath);
  }
  const realRoot = await realpath(root);
  let probe = join(root, ...parts);
  while (!(await exists(probe))) {
    const parent = resolve(probe, "..");
    if (parent === probe) break;
    probe = parent;
  }
  const real = await realpath(probe).catch(() => probe);
  const inside = relative(realRoot, real);
  if (inside.startsWith("..") || isAbsolute(inside)) throw new PathEscapeError(relativePath);
}

/** Trees with more entries than this are checked with `git status` (its index makes large trees cheap). */
const PRISTINE_TREE_LIMIT = 2_000;

/** Interpreter caches and dependency links: left by test runs, never part of a change, harmless to the next one. */
function isDisposableLeftover(path: string, dependencyDirectories: readonly string[]): boolean {
  const parts = path.replace(/\/$/, "").split("/");
  return (
    dependencyDirectories.includes(parts[0] ?? "") ||
    parts.includes("__pycache__") ||
    parts.includes(".pytest_cache") ||
    /\.py[co]$/.test(path)
  );
}

class GitWorktree implements Worktree {
  private disposed = false;
  /** Base bytes of the files edited in process since the last reset; null once anything else changed the tree. */
  private edited: Map<string, Buffer> | null = new Map();
  /** Paths the diffs applied since the last reset touch: the current diff is of these alone. */
  private readonly applied = new Set<string>();
  /** The tree at the base state, for small trees: checking it in process spares a `git status` per candidate. */
  private pristineTree: TreeSnapshot | null = null;
  /**
   * The worktree's git directory, read once when git made it: RFSN's git commands name it (and the work tree)
   * explicitly, so a sandboxed test that rewrites the worktree's `.git` file cannot point RFSN's git elsewhere.
   */
  private gitDir: string | null = null;
  /** The sandbox uid that owns the files and runs the tests here; null without a sandbox. */
  private owner: SandboxIdentity | null = null;

  constructor(
    readonly dir: string,
    private readonly scratch: string,
    private readonly repository: GitSourceRepository,
  ) {}

  private get excludesFile(): string {
    return join(this.scratch, "excludes");
  }

  private get safeConfig(): string[] {
    return ["-c", `core.excludesFile=${this.excludesFile}`];
  }

  /** Reads the git directory `git worktree add` recorded in `<dir>/.git` (still RFSN's own file at that point). */
  async recordGitDirectory(): Promise<void> {
    const text = await readFile(join(this.dir, ".git"), "utf8");
    const named = /^gitdir: (.+)$/m.exec(text)?.[1]?.trim();
    if (!named) throw new WorkspaceError(`${this.dir}/.git does not name a git directory`);
    this.gitDir = resolve(this.dir, named);
  }

  /** Git in this worktree, with its git directory and work tree given explicitly (never discovered from the tree). */
  private git(args: string[], options: Parameters<typeof git>[2] = {}) {
    const env = { ...options.env, ...(this.gitDir ? { GIT_DIR: this.gitDir, GIT_WORK_TREE: this.dir } : {}) };
    return git([...this.safeConfig, ...args], this.dir, { ...options, env });
  }

  /**
   * Hands the tree to a sandbox uid of its own: its files become that uid's, and the scratch directory holding it
   * is traversable by that uid alone (root-owned, so the uid cannot swap the tree for another).
   */
  async takeSandboxOwnership(): Promise<void> {
    const sandbox = currentSandbox();
    this.owner = sandbox?.claimWorktreeIdentity() ?? null;
    if (!this.owner) return;
    await chown(this.scratch, 0, this.owner.gid);
    await chmod(this.scratch, 0o710);
    if (this.repository.dependencyDirectories.length > 0)
      sandbox?.allowTraversalTo(this.repository.dependencySource);
    // A dependency directory may itself be a link elsewhere (a shared node_modules, a virtualenv outside the tree).
    for (const name of this.repository.dependencyDirectories) {
      const target = await realpath(join(this.repository.dependencySource, name)).catch(() => null);
      if (target) sandbox?.allowTraversalTo(target);
    }
  }

  /** Files git (running as root) created belong to root: give the tree back to its sandbox uid. */
  giveTreeToOwner(): void {
    if (this.owner) chownTree(this.dir, this.owner.uid, this.owner.gid);
  }

  releaseSandboxOwnership(): void {
    if (this.owner) currentSandbox()?.releaseWorktreeIdentity(this.owner);
    this.owner = null;
  }

  async linkDependencies(): Promise<void> {
    await writeFile(this.excludesFile, `${WORKTREE_EXCLUDES.join("\n")}\n`);
    for (const name of this.repository.dependencyDirectories) {
      const link = join(this.dir, name);
      if (await exists(link)) continue;
      const target = join(this.repository.dependencySource, name);
      if (this.owner && name === "node_modules" && (await holdsToolCaches(target)))
        await linkEntries(target, link);
      else await symlink(target, link, "dir");
    }
  }

  async applyDiff(diff: string): Promise<void> {
    const { paths, strip } = pathsInDiff(diff);
    for (const path of paths) await assertInside(this.dir, path);
    for (const path of paths) this.applied.add(path);
    if (this.edited && strip === 1 && (await this.applyInProcess(diff, paths, this.edited))) return;
    this.edited = null;
    const input = diff.endsWith("\n") ? diff : `${diff}\n`;
    // `git apply` is atomic (without --reject): a patch that does not apply whole leaves the tree untouched.
    const result = await this.git(["apply", `-p${strip}`, "--whitespace=nowarn", "-"], {
      input,
      check: false,
    });
    this.giveTreeToOwner();
    if (result.exitCode !== 0)
      throw new PatchApplyError(result.stderr || result.output || result.startError || "");
  }

  /**
   * Applies a diff that only changes existing UTF-8 text files by writing them directly (no `git apply` process),
   * remembering their base bytes for `reset`. Returns false, having changed nothing, for anything else (new,
   * deleted, renamed or binary files, mode changes); throws PatchApplyError, having changed nothing, on a mismatch.
   */
  private async applyInProcess(diff: string, paths: string[], edited: Map<string, Buffer>): Promise<boolean> {
    let patches: FilePatch[];
    try {
      patches = parseUnifiedDiff(diff);
    } catch {
      return false;
    }
    const plain = patches.every(
      (patch) =>
        !patch.isBinary &&
        !patch.isNew &&
        !patch.isDeleted &&
        patch.newMode === undefined &&
        patch.newPath !== null &&
        patch.oldPath === patch.newPath,
    );
    const patchedPaths = new Set(patches.map((patch) => patch.newPath));
    if (!plain || patchedPaths.size !== patches.length || paths.some((path) => !patchedPaths.has(path)))
      return false;
    const writes: Array<{ path: string; before: Buffer; after: string }> = [];
    for (const patch of patches) {
      const path = patch.newPath as string;
      const before = await readFile(join(this.dir, path)).catch(() => null);
      if (!before) return false;
      const text = before.toString("utf8");
      if (Buffer.byteLength(text) !== before.length) return false;
      try {
        writes.push({ path, before, after: applyFilePatch(text, patch) });
      } catch (error) {
        throw new PatchApplyError((error as Error).message);
      }
    }
    for (const { path, before, after } of writes) {
      if (!edited.has(path)) edited.set(path, before);
      await writeFile(join(this.dir, path), after);
    }
    return true;
  }

  /**
   * True when nothing but files this worktree edited in process changed (interpreter caches and dependency links
   * aside), so that writing those files back restores the base exactly: from the tree's snapshot when it has one,
   * else from `git status`.
   */
  private async onlyOwnEditsChanged(edited: Map<string, Buffer>): Promise<boolean> {
    if (this.pristineTree) return !(await this.pristineTree.changedBesides(new Set(edited.keys())));
    const status = await this.git(
      ["status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignored=matching"],
      { check: false },
    );
    if (status.exitCode !== 0) return false;
    return status.stdout
      .split("\0")
      .filter(Boolean)
      .every((entry) => {
        const code = entry.slice(0, 2);
        const path = entry.slice(3);
        if (code === " M") return edited.has(path);
        return (
          (code === "!!" || code === "??") &&
          isDisposableLeftover(path, this.repository.dependencyDirectories)
        );
      });
  }

  isPristine(): Promise<boolean> {
    return this.onlyOwnEditsChanged(new Map());
  }

  async reset(): Promise<void> {
    this.applied.clear();
    const edited = this.edited;
    if (edited && (await this.editsAreRegularFiles(edited)) && (await this.onlyOwnEditsChanged(edited))) {
      for (const [path, before] of edited) await writeFile(join(this.dir, path), before);
      await this.pristineTree?.restamp(edited.keys());
      edited.clear();
      return;
    }
    this.edited = new Map();
    await this.git(["checkout", "--quiet", "--force", "--detach", this.repository.baseCommit]);
    const keep = this.repository.dependencyDirectories.flatMap((name) => ["-e", `/${name}`]);
    await this.git(["clean", "-fdxq", ...keep]);
    await this.linkDependencies();
    this.giveTreeToOwner();
    await this.rememberPristineTree();
  }

  /** False when a test replaced an edited file with a symlink or directory: writing it back would follow the link. */
  private async editsAreRegularFiles(edited: Map<string, Buffer>): Promise<boolean> {
    for (const path of edited.keys()) {
      const stats = await lstat(join(this.dir, path)).catch(() => null);
      if (!stats?.isFile()) return false;
    }
    return true;
  }

  /** Snapshots the tree as it is now, at the base state (none for a tree too large to check faster than git). */
  async rememberPristineTree(): Promise<void> {
    const skipped = (path: string) =>
      path === ".git" || isDisposableLeftover(path, this.repository.dependencyDirectories);
    this.pristineTree = await TreeSnapshot.take(this.dir, skipped, PRISTINE_TREE_LIMIT);
  }

  async currentDiff(): Promise<string> {
    // Files the tests wrote are no part of the change.
    const paths = [...this.applied].sort();
    if (paths.length === 0) return "";
    const edited = this.edited;
    if (edited && paths.every((path) => edited.has(path))) {
      // Every change was written in process from known base text: the diff needs no git processes.
      const diffs: string[] = [];
      for (const path of paths) {
        const after = await readFile(join(this.dir, path), "utf8").catch(() => null);
        diffs.push(createUnifiedDiff(path, edited.get(path)?.toString("utf8") ?? null, after));
      }
      return diffs.join("");
    }
    const env = { GIT_INDEX_FILE: join(this.scratch, "diff-index"), GIT_LITERAL_PATHSPECS: "1" };
    const base = this.repository.baseCommit;
    await this.git(["read-tree", base], { env });
    // Forced: a file the change created counts even where an ignore rule matches it.
    await this.git(["add", "-A", "-f", "--", ...paths], { env, check: false });
    const diff = await this.git(
      [
        "diff",
        "--cached",
        "--no-color",
        "--no-ext-diff",
        "--no-textconv",
        "--no-renames",
        "--src-prefix=a/",
        "--dst-prefix=b/",
        base,
        "--",
      ],
      { env },
    );
    return diff.stdout;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.repository.removeWorktree(this);
  }

  /** Called by the repository, serialized with other worktree changes. */
  async remove(): Promise<void> {
    // Unlink dependency links first so that nothing can follow them into the source's directories.
    for (const name of this.repository.dependencyDirectories)
      await quietly(() => rm(join(this.dir, name), { recursive: true, force: true }));
    await quietly(() => git(["worktree", "remove", "--force", "--force", this.dir], this.repository.gitRoot));
    await quietly(() => rm(this.scratch, { recursive: true, force: true }));
    await quietly(() => git(["worktree", "prune"], this.repository.gitRoot));
    this.releaseSandboxOwnership();
  }
}

class GitSourceRepository implements SourceRepository {
  private readonly worktrees = new Set<GitWorktree>();
  private readonly queue = new SerialQueue();
  private disposed = false;

  constructor(
    readonly root: string,
    readonly gitRoot: string,
    readonly baseCommit: string,
    /** Top-level dependency directories present in the source, linked into each worktree. */
    readonly dependencyDirectories: string[],
    /** The directory those dependency directories live in (the user's project, even for a copied snapshot). */
    readonly dependencySource: string,
    private readonly keepRef: string | null,
    private readonly temporaryDirectory: string,
  ) {}

  get historyRoot(): string | null {
    return this.keepRef ? this.gitRoot : null;
  }

  async createWorktree(): Promise<Worktree> {
    if (this.disposed)
      throw new WorkspaceError("This repository was already disposed; open it again to make worktrees.");
    return await this.queue.run(async () => {
      const scratch = await mkdtemp(join(tmpdir(), "rfsn-worktree-"));
      const dir = join(scratch, "tree");
      const worktree = new GitWorktree(dir, scratch, this);
      try {
        await mkdir(dir);
        await git(["worktree", "add", "--quiet", "--detach", dir, this.baseCommit], this.gitRoot);
        await worktree.recordGitDirectory();
        await worktree.takeSandboxOwnership();
        await worktree.linkDependencies();
        worktree.giveTreeToOwner();
        await worktree.rememberPristineTree();
      } catch (error) {
        await worktree.remove();
        throw error;
      }
      this.worktrees.add(worktree);
      return worktree;
    });
  }

  async removeWorktree(worktree: GitWorktree): Promise<void> {
    await this.queue.run(async () => {
      this.worktrees.delete(worktree);
      await worktree.remove();
    });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await Promise.all([...this.worktrees].map((worktree) => worktree.dispose()));
    await this.queue.run(async () => {
      const ref = this.keepRef;
      if (ref) await quietly(() => git(["update-ref", "-d", ref], this.gitRoot));
      await quietly(() => git(["worktree", "prune"], this.gitRoot));
      await quietly(() => rm(this.temporaryDirectory, { recursive: true, force: true }));
    });
  }
}

/**
 * While a sandbox is open, the source's git directory (shared by every worktree, holding any credential
 * actions/checkout persisted) and the config files it includes become unreadable to sandbox uids.
 */
async function lockSourceGitDirectory(root: string): Promise<void> {
  const sandbox = currentSandbox();
  if (!sandbox || sandbox.level === "none") return;
  const named = (await git(["rev-parse", "--git-common-dir"], root)).stdout.trim();
  sandbox.lockGitDirectory(resolve(root, named));
}

async function presentDependencyDirectories(dir: string, candidates: string[]): Promise<string[]> {
  const present: string[] = [];
  for (const name of candidates) {
    const stats = await stat(join(dir, name)).catch(() => null);
    if (stats?.isDirectory()) present.push(name);
  }
  return present;
}

/** Dependency directories present at the top of a work tree that hold no tracked file (ignored or not). */
async function untrackedDependencyDirectories(root: string): Promise<string[]> {
  const present = await presentDependencyDirectories(root, DEPENDENCY_DIRECTORIES);
  if (present.length === 0) return [];
  const tracked = await git(
    ["ls-files", "-z", "--cached", "--", ...present.map((name) => `:(top)${name}`)],
    root,
  );
  const trackedTop = new Set(tracked.stdout.split("\0").map((path) => path.split("/")[0]));
  return present.filter((name) => !trackedTop.has(name));
}

/**
 * Opens a project for repair. A git work tree is used in place (its working tree, index and branches are left alone;
 * uncommitted work becomes a snapshot commit kept alive by a `refs/rfsn/…` ref until dispose); any other directory
 * is copied into a temporary repository first.
 */
export async function openRepository(
  dir: string,
  options: OpenRepositoryOptions = {},
): Promise<SourceRepository> {
  const source = await realpath(dir);
  const temporary = await mkdtemp(join(tmpdir(), "rfsn-repository-"));
  try {
    // A project in a subdirectory of a larger work tree (a monorepo package, an example) is copied like a plain directory,
    // so that tests run and paths resolve relative to the project itself.
    const facts = await workTreeFacts(source);
    const gitRoot = facts ? await realpath(facts.root) : null;
    if (facts && gitRoot === source) {
      const root = gitRoot;
      const head = facts.head?.commit ?? null;
      const dependencies = await untrackedDependencyDirectories(root);
      // Naming an ignored directory, even to exclude it, makes `git add` fail; ignored ones need no help anyway.
      const ignored = new Set(dependencies.length > 0 ? await listIgnoredTopLevel(root) : []);
      const notIgnored = dependencies.filter((name) => !ignored.has(name));
      const base =
        (options.includeUncommitted ?? true)
          ? await snapshotWorkingTree(root, facts, temporary, notIgnored)
          : head;
      if (!base)
        throw new WorkspaceError(
          `${root} has no commits yet: commit something, or include uncommitted changes.`,
        );
      const ref = `refs/rfsn/base-${randomBytes(6).toString("hex")}`;
      await git(["update-ref", ref, base], root);
      await lockSourceGitDirectory(root);
      return new GitSourceRepository(root, root, base, dependencies, root, ref, temporary);
    }
    // A project inside a larger work tree: its checkout's git directory is as secret as in the case above.
    if (facts && gitRoot) await lockSourceGitDirectory(gitRoot);
    const copy = join(temporary, "snapshot");
    const base = await snapshotPlainDirectory(source, copy);
    const dependencies = await presentDependencyDirectories(source, DEPENDENCY_DIRECTORIES);
    for (const name of dependencies) await symlink(join(source, name), join(copy, name), "dir");
    return new GitSourceRepository(copy, copy, base, dependencies, source, null, temporary);
  } catch (error) {
    await quietly(() => rm(temporary, { recursive: true, force: true }));
    throw error;
  }
}
