// A typed wrapper over the git command line with hooks, pagers and prompts disabled, plus the queries other modules need.
import { resolve } from "node:path";
import { ProcessFailedError, type ProcessResult, runProcess } from "./process.js";

/**
 * Settings passed with `-c` on every call: repository hooks and fsmonitor never run, only https, ssh and local
 * transports are allowed (never `ext::`, which runs a command), output is machine-readable.
 */
export const SAFE_CONFIG = [
  "core.hooksPath=/dev/null",
  "core.fsmonitor=false",
  "core.quotePath=false",
  "protocol.allow=never",
  "protocol.https.allow=always",
  "protocol.ssh.allow=always",
  "protocol.file.allow=always",
  "protocol.ext.allow=never",
  "color.ui=false",
  "diff.noprefix=false",
  "diff.mnemonicPrefix=false",
  "commit.gpgSign=false",
  "tag.gpgSign=false",
  "advice.detachedHead=false",
  "init.defaultBranch=main",
].flatMap((setting) => ["-c", setting]);

export interface GitIdentity {
  name: string;
  email: string;
}

/** The identity of commits RFSN makes itself. */
export const RFSN_IDENTITY: GitIdentity = { name: "rfsn", email: "rfsn@users.noreply.github.com" };

export interface GitOptions {
  env?: Record<string, string | undefined>;
  input?: string;
  timeoutMs?: number;
  /** Default true: throw GitCommandError unless git exits with 0. */
  check?: boolean;
  maxOutputBytes?: number;
}

export class GitCommandError extends ProcessFailedError {
  constructor(result: ProcessResult) {
    super(result);
    this.name = "GitCommandError";
  }
}

/** Environment that makes git non-interactive and commits attributable to `identity`. */
export function identityEnvironment(identity: GitIdentity = RFSN_IDENTITY): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: identity.name,
    GIT_AUTHOR_EMAIL: identity.email,
    GIT_COMMITTER_NAME: identity.name,
    GIT_COMMITTER_EMAIL: identity.email,
  };
}

/**
 * The environment that keeps git from taking settings from outside the repository and RFSN: no system config, an
 * empty global config (so no user's credential helper, filters or aliases either).
 */
export const CLEAN_GIT_ENVIRONMENT: Record<string, string> = {
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
};

/** Runs `git <args>` in `cwd` (trusted environment, clean config, no prompts, no pager, no hooks). */
export async function git(args: string[], cwd: string, options: GitOptions = {}): Promise<ProcessResult> {
  const result = await runProcess(["git", ...SAFE_CONFIG, ...args], {
    cwd,
    trusted: true,
    env: {
      GIT_TERMINAL_PROMPT: "0",
      GIT_PAGER: "cat",
      PAGER: "cat",
      GIT_OPTIONAL_LOCKS: "0",
      GIT_ASKPASS: undefined,
      GIT_CONFIG_PARAMETERS: undefined,
      GIT_CONFIG_COUNT: undefined,
      ...CLEAN_GIT_ENVIRONMENT,
      ...options.env,
    },
    timeoutMs: options.timeoutMs ?? 5 * 60_000,
    maxOutputBytes: options.maxOutputBytes ?? 64 * 1024 * 1024,
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  if (
    (options.check ?? true) &&
    (result.exitCode !== 0 || result.startError !== undefined || result.timedOut)
  ) {
    throw new GitCommandError(result);
  }
  return result;
}

/** The first line of git's stdout, trimmed. */
async function gitLine(args: string[], cwd: string, options: GitOptions = {}): Promise<string> {
  return (await git(args, cwd, options)).stdout.trim().split("\n")[0] ?? "";
}

/** What opening a repository needs to know about the work tree around a directory. */
export interface WorkTreeFacts {
  /** The top directory of the work tree. */
  root: string;
  /** The index file (absolute). */
  indexFile: string;
  /** The commit HEAD points at and its tree; null in a repository without commits. */
  head: { commit: string; tree: string } | null;
}

/** The facts about the work tree containing `dir` (one git process), or null when `dir` is in none. */
export async function workTreeFacts(dir: string): Promise<WorkTreeFacts | null> {
  const result = await git(
    [
      "rev-parse",
      "--is-inside-work-tree",
      "--show-toplevel",
      "--git-path",
      "index",
      "HEAD^{commit}",
      "HEAD^{tree}",
    ],
    dir,
    { check: false },
  );
  // Without commits git still prints the first three answers, then fails on HEAD.
  const [inside, root, index, commit, tree] = result.stdout.split("\n");
  if (inside !== "true" || !root || !index) return null;
  const head = result.exitCode === 0 && commit && tree ? { commit, tree } : null;
  return { root, indexFile: resolve(dir, index), head };
}

/** The commit HEAD points at, or null in a repository without commits. */
export async function headCommit(dir: string): Promise<string | null> {
  const result = await git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], dir, { check: false });
  return result.exitCode === 0 ? result.stdout.trim() : null;
}

/** Stages everything (`git add -A`) and commits it; returns the new commit. Hooks never run. */
export async function commitAll(
  dir: string,
  message: string,
  author: GitIdentity = RFSN_IDENTITY,
): Promise<string> {
  await git(["add", "-A"], dir);
  await git(["commit", "--quiet", "--no-verify", "--allow-empty", "-m", message], dir, {
    env: {
      ...identityEnvironment(RFSN_IDENTITY),
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
    },
  });
  return await gitLine(["rev-parse", "HEAD"], dir);
}

export class InvalidBranchNameError extends Error {
  constructor(readonly branch: string) {
    super(`\`${branch}\` is not a valid git branch name.`);
    this.name = "InvalidBranchNameError";
  }
}

/** Creates branch `name` at `startPoint` (default HEAD) without checking it out. */
export async function createBranch(dir: string, name: string, startPoint = "HEAD"): Promise<void> {
  const valid = await git(["check-ref-format", "--branch", name], dir, { check: false });
  if (valid.exitCode !== 0 || name.startsWith("-")) throw new InvalidBranchNameError(name);
  await git(["branch", "--no-track", name, startPoint], dir);
}

/** Names of top-level entries git ignores (e.g. `node_modules`, `.venv`), without a trailing slash. */
export async function listIgnoredTopLevel(dir: string): Promise<string[]> {
  const result = await git(
    ["ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory"],
    dir,
  );
  const names = new Set<string>();
  for (const entry of result.stdout.split("\0")) {
    const name = entry.replace(/\/$/, "");
    if (name && !name.includes("/")) names.add(name);
  }
  return [...names].sort();
}

/** Reverses git's C-style quoting of a path (`"a\tb"` → a<TAB>b); unquoted paths pass through. */
export function unquoteGitPath(text: string): string {
  if (!text.startsWith('"') || !text.endsWith('"') || text.length < 2) return text;
  const bytes: number[] = [];
  const body = text.slice(1, -1);
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '"': 34, "\\": 92 };
  for (let index = 0; index < body.length; index += 1) {
    const char = body[index] ?? "";
    if (char !== "\\") {
      bytes.push(...Buffer.from(char, "utf8"));
      continue;
    }
    const next = body[index + 1] ?? "";
    const octal = /^[0-7]{3}/.exec(body.slice(index + 1, index + 4));
    if (octal) {
      bytes.push(Number.parseInt(octal[0], 8));
      index += 3;
    } else {
      bytes.push(simple[next] ?? next.charCodeAt(0));
      index += 1;
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

/** Path on a `+++ ` line with the `b/` prefix and any trailing timestamp removed; null for /dev/null. */
function newSidePath(line: string): string | null {
  let path = line.slice(4);
  if (!path.startsWith('"')) path = path.split("\t")[0] ?? path;
  path = unquoteGitPath(path);
  if (path === "/dev/null") return null;
  return path.startsWith("b/") ? path.slice(2) : path;
}

/** Line numbers (in HEAD's version of each file) added or changed, per file, in the output of `git diff -U0`. */
export function changedLinesFromDiff(diff: string): Map<string, Set<number>> {
  const changed = new Map<string, Set<number>>();
  let file: string | null = null;
  for (const line of diff.split("\n")) {
    if (line.startsWith("+++ ")) {
      file = newSidePath(line);
      continue;
    }
    if (line.startsWith("diff --git ")) {
      file = null;
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (!hunk || file === null) continue;
    const start = Number(hunk[1]);
    const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
    let lines = changed.get(file);
    if (!lines) {
      lines = new Set<number>();
      changed.set(file, lines);
    }
    if (count === 0) {
      // A pure deletion: the line just before the removed ones is the nearest surviving neighbour.
      if (start >= 1) lines.add(start);
    } else {
      for (let number = start; number < start + count; number += 1) lines.add(number);
    }
  }
  return changed;
}

/**
 * Lines added or changed by the last `count` commits, keyed by repository-relative path, numbered as in HEAD.
 * Empty when the history has fewer than two commits (a first commit "changes" every line, which says nothing).
 */
export async function changedLinesInRecentCommits(
  dir: string,
  count: number,
): Promise<Map<string, Set<number>>> {
  const head = await headCommit(dir);
  if (!head || count < 1) return new Map();
  const revisions = (await git(["rev-list", "--first-parent", `--max-count=${count + 1}`, head], dir)).stdout
    .trim()
    .split("\n")
    .filter(Boolean);
  if (revisions.length < 2) return new Map();
  const base = revisions[revisions.length - 1] ?? head;
  const diff = await git(
    [
      "diff",
      "--no-color",
      "--no-ext-diff",
      "--no-textconv",
      "--unified=0",
      "--find-renames",
      base,
      head,
      "--",
    ],
    dir,
  );
  return changedLinesFromDiff(diff.stdout);
}
