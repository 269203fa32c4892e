// Publishes a verified patch through the git data API: re-gate against the failing commit's tree, blobs, tree, commit, ref, PR.
import {
  applyFilePatch,
  DiffParseError,
  type FilePatch,
  PatchMismatchError,
  parseUnifiedDiff,
} from "../../core/diff.js";
import { defaultGateContext, type GateLimits, gate, pathEscapeProblem } from "../../core/gate/index.js";
import type { GitHubClient } from "../octokit.js";
import { openRepairPullRequest } from "../pull-requests.js";
import { githubMessage, statusOf } from "../request-status.js";
import { PatchRejectedError, PublishError } from "./errors.js";

export const FIX_BRANCH_PREFIX = "rfsn/fix/";
export const BOT_AUTHOR = { name: "rfsn[bot]", email: "rfsn-bot@users.noreply.github.com" };

export interface PublishRequest {
  owner: string;
  repo: string;
  /** From the TRUSTED record (dispatcher / workflow event), never from the artifact. */
  failingCommit: string;
  /** Untrusted: re-gated against the failing commit's tree, applied by RFSN's own parser. */
  diff: string;
  /** Extra protected globs (repository config read at the failing commit). */
  protectedPaths: string[];
  /** `rfsn/fix/...` */
  branch: string;
  /** PR base branch. */
  base: string;
  draft: boolean;
  title: string;
  body: string;
  commitMessage: string;
  labels: string[];
  /** Size limits of the repository config (default: the gate's defaults). */
  limits?: GateLimits;
}

/** What making the fix commit needs (the App's fork publication moves the fork's own branch instead of opening a PR). */
export type CommitRequest = Pick<
  PublishRequest,
  "owner" | "repo" | "failingCommit" | "diff" | "protectedPaths" | "commitMessage" | "limits"
>;

export interface PublishResult {
  commit: string;
  pullRequest: { number: number; url: string };
  /** Why labelling failed, when it did (never fails the publication). */
  labelError?: string | null;
}

interface TreeEntry {
  mode: string;
  type: string;
  sha: string;
}

const REGULAR_MODES = new Set(["100644", "100755"]);
const SHA = /^[0-9a-f]{40}$/;

/** A branch name RFSN may create or move: `rfsn/fix/` then plain ref-safe segments. */
export function isFixBranch(branch: string): boolean {
  if (!branch.startsWith(FIX_BRANCH_PREFIX) || branch.length > 200) return false;
  const rest = branch.slice(FIX_BRANCH_PREFIX.length);
  return /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(rest) && !/\.\.|\.lock(\/|$)|\/\.|^\.|\.$/.test(rest);
}

async function readTree(
  client: GitHubClient,
  request: CommitRequest,
): Promise<{ tree: string; entries: Map<string, TreeEntry> }> {
  let treeSha: string;
  try {
    const { data } = await client.rest.git.getCommit({
      owner: request.owner,
      repo: request.repo,
      commit_sha: request.failingCommit,
    });
    treeSha = data.tree.sha;
  } catch (error) {
    throw new PublishError(
      `the failing commit ${request.failingCommit} is not in ${request.owner}/${request.repo}: ${githubMessage(error)}`,
      { cause: error },
    );
  }
  const { data } = await client.rest.git.getTree({
    owner: request.owner,
    repo: request.repo,
    tree_sha: treeSha,
    recursive: "1",
  });
  if (data.truncated) {
    throw new PublishError(
      `the tree of ${request.failingCommit} is too large for one API answer; RFSN does not publish into it`,
    );
  }
  const entries = new Map<string, TreeEntry>();
  for (const entry of data.tree) {
    if (entry.path && entry.mode && entry.type && entry.sha)
      entries.set(entry.path, { mode: entry.mode, type: entry.type, sha: entry.sha });
  }
  return { tree: treeSha, entries };
}

/** Why `path` cannot be written as a new file in this tree, or null. */
function newPathProblem(path: string, entries: Map<string, TreeEntry>): string | null {
  if (entries.has(path)) return `${path} already exists at the failing commit`;
  const segments = path.split("/");
  for (let i = 1; i < segments.length; i += 1) {
    const prefix = segments.slice(0, i).join("/");
    const entry = entries.get(prefix);
    if (entry && entry.type !== "tree") return `${prefix} is a ${describe(entry)}, not a directory`;
  }
  return null;
}

function describe(entry: TreeEntry): string {
  if (entry.mode === "120000") return "symbolic link";
  if (entry.mode === "160000" || entry.type === "commit") return "submodule";
  if (entry.type === "tree") return "directory";
  return "file";
}

/** Resolves every path of the diff against the failing commit's tree; throws PatchRejectedError for anything else. */
function resolvePaths(patches: FilePatch[], entries: Map<string, TreeEntry>): void {
  for (const patch of patches) {
    for (const path of [patch.oldPath, patch.newPath]) {
      if (path === null) continue;
      const problem = pathEscapeProblem(path);
      if (problem) throw new PatchRejectedError("path", `${JSON.stringify(path)} ${problem}`);
    }
    if (patch.isBinary)
      throw new PatchRejectedError("binary", `${patch.newPath ?? patch.oldPath}: binary patch`);
    if (!patch.isNew && patch.oldPath !== null) {
      const entry = entries.get(patch.oldPath);
      if (!entry)
        throw new PatchRejectedError("path", `${patch.oldPath} is not in the failing commit's tree`);
      if (entry.type !== "blob" || !REGULAR_MODES.has(entry.mode))
        throw new PatchRejectedError(
          "path",
          `${patch.oldPath} is a ${describe(entry)} at the failing commit`,
        );
    }
    const created = patch.isNew || (patch.newPath !== null && patch.newPath !== patch.oldPath);
    if (created && patch.newPath !== null) {
      const problem = newPathProblem(patch.newPath, entries);
      if (problem) throw new PatchRejectedError("path", problem);
      if (patch.newMode && !REGULAR_MODES.has(patch.newMode))
        throw new PatchRejectedError("path", `${patch.newPath} would get mode ${patch.newMode}`);
    }
  }
}

async function readBlobText(
  client: GitHubClient,
  request: CommitRequest,
  path: string,
  sha: string,
): Promise<string> {
  const { data } = await client.rest.git.getBlob({ owner: request.owner, repo: request.repo, file_sha: sha });
  const bytes = Buffer.from(data.content, data.encoding === "base64" ? "base64" : "utf8");
  const text = bytes.toString("utf8");
  if (bytes.includes(0) || !Buffer.from(text, "utf8").equals(bytes))
    throw new PatchRejectedError("binary", `${path} is not UTF-8 text at the failing commit`);
  return text;
}

/** Moves `rfsn/fix/*` to `commit`: creates it, or moves it when its tip is RFSN's own commit; never touches another ref. */
async function pointBranch(client: GitHubClient, request: PublishRequest, commit: string): Promise<void> {
  const ref = `heads/${request.branch}`;
  let currentTip: string | null = null;
  try {
    const { data } = await client.rest.git.getRef({ owner: request.owner, repo: request.repo, ref });
    currentTip = data.object.sha;
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
  if (currentTip === null) {
    await client.rest.git.createRef({
      owner: request.owner,
      repo: request.repo,
      ref: `refs/${ref}`,
      sha: commit,
    });
    return;
  }
  if (currentTip === commit) return;
  const { data: tip } = await client.rest.git.getCommit({
    owner: request.owner,
    repo: request.repo,
    commit_sha: currentTip,
  });
  if (tip.author.email !== BOT_AUTHOR.email) {
    throw new PublishError(
      `branch ${request.branch} already exists and its tip ${currentTip.slice(0, 7)} was not made by RFSN (author ${tip.author.name}); RFSN does not overwrite it`,
    );
  }
  await client.rest.git.updateRef({
    owner: request.owner,
    repo: request.repo,
    ref,
    sha: commit,
    force: true,
  });
}

/** Git data API: blobs → tree (base_tree = failing commit's tree) → commit (parent = failingCommit) → ref → PR. */
export async function publishRepair(client: GitHubClient, request: PublishRequest): Promise<PublishResult> {
  if (!isFixBranch(request.branch))
    throw new PublishError(
      `branch "${request.branch}" is not an rfsn/fix/ branch; RFSN publishes only there`,
    );
  const commit = await createRepairCommit(client, request);
  await pointBranch(client, request, commit);
  const opened = await openRepairPullRequest(client, {
    owner: request.owner,
    repo: request.repo,
    head: request.branch,
    base: request.base,
    title: request.title,
    body: request.body,
    draft: request.draft,
    labels: request.labels,
  });
  return {
    commit,
    pullRequest: { number: opened.number, url: opened.url },
    labelError: opened.labelError,
  };
}

/** Re-gates the diff against the failing commit's tree and makes the fix commit (parent = failingCommit); moves no ref. */
export async function createRepairCommit(client: GitHubClient, request: CommitRequest): Promise<string> {
  if (!SHA.test(request.failingCommit))
    throw new PublishError(`failing commit "${request.failingCommit}" is not a 40-hex commit id`);
  let patches: FilePatch[];
  try {
    patches = parseUnifiedDiff(request.diff);
  } catch (error) {
    throw new PatchRejectedError(
      "malformed_diff",
      error instanceof DiffParseError ? error.message : String(error),
    );
  }
  if (patches.length === 0) throw new PatchRejectedError("malformed_diff", "the diff is empty");

  const { tree, entries } = await readTree(client, request);
  resolvePaths(patches, entries);
  const before = new Map<string, string>();
  for (const patch of patches) {
    const path = patch.oldPath;
    if (patch.isNew || path === null || before.has(path)) continue;
    const entry = entries.get(path);
    if (entry) before.set(path, await readBlobText(client, request, path, entry.sha));
  }

  const verdict = gate(
    // The gate reads only the diff and the phase of a proposal; the other fields describe where it came from.
    {
      id: "publish",
      diff: request.diff,
      intent: "publish",
      phase: "patch",
      origin: "human",
      operator: "llm",
      rationale: "",
    },
    defaultGateContext({
      protectedPaths: request.protectedPaths,
      ...(request.limits ? { limits: request.limits } : {}),
      readFile: (path) => before.get(path),
    }),
  );
  if (!verdict.accepted) throw new PatchRejectedError(verdict.type, verdict.reason);

  const changes: Array<{ path: string; mode: string; content: string | null }> = [];
  for (const patch of patches) {
    const oldPath = patch.isNew ? null : patch.oldPath;
    const source = oldPath === null ? "" : (before.get(oldPath) ?? "");
    let after: string;
    try {
      after = applyFilePatch(source, patch);
    } catch (error) {
      throw new PatchRejectedError(
        "apply",
        error instanceof PatchMismatchError ? error.message : `${patch.newPath ?? oldPath}: ${String(error)}`,
      );
    }
    const mode = (oldPath ? entries.get(oldPath)?.mode : undefined) ?? patch.newMode ?? "100644";
    if (patch.isDeleted || patch.newPath === null) {
      if (oldPath) changes.push({ path: oldPath, mode, content: null });
      continue;
    }
    if (oldPath && oldPath !== patch.newPath) changes.push({ path: oldPath, mode, content: null });
    changes.push({ path: patch.newPath, mode, content: after });
  }

  const treeEntries = [];
  for (const change of changes) {
    if (change.content === null) {
      treeEntries.push({
        path: change.path,
        mode: change.mode as "100644",
        type: "blob" as const,
        sha: null,
      });
      continue;
    }
    const { data: blob } = await client.rest.git.createBlob({
      owner: request.owner,
      repo: request.repo,
      content: Buffer.from(change.content, "utf8").toString("base64"),
      encoding: "base64",
    });
    treeEntries.push({
      path: change.path,
      mode: change.mode as "100644",
      type: "blob" as const,
      sha: blob.sha,
    });
  }
  const { data: newTree } = await client.rest.git.createTree({
    owner: request.owner,
    repo: request.repo,
    base_tree: tree,
    tree: treeEntries,
  });
  const { data: commit } = await client.rest.git.createCommit({
    owner: request.owner,
    repo: request.repo,
    message: request.commitMessage,
    tree: newTree.sha,
    parents: [request.failingCommit],
    author: { ...BOT_AUTHOR, date: new Date().toISOString().replace(/\.\d{3}Z$/, "Z") },
  });
  if (commit.parents.length !== 1 || commit.parents[0]?.sha !== request.failingCommit)
    throw new PublishError(
      `GitHub made commit ${commit.sha} with parents other than ${request.failingCommit}`,
    );
  return commit.sha;
}
