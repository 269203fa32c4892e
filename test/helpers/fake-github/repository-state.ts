// The fake GitHub's in-memory world: repositories with commits, branches, pull requests, comments, check runs and dispatches.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { GitObjects, type TreeItem } from "./git-objects.js";

export type PermissionLevel = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export interface WorkflowDefinition {
  file: string;
  dispatchable?: boolean;
}

export interface RepositoryOptions {
  owner: string;
  name: string;
  defaultBranch?: string;
  private?: boolean;
  /** Username → role on the repository. Users not listed do not exist (404). */
  permissions?: Record<string, PermissionLevel>;
  /** Files on the default branch. */
  files?: Record<string, string>;
  /** Workflow files under `.github/workflows/`. */
  workflows?: Array<string | WorkflowDefinition>;
  /** When set, the repository is a fork of this `owner/name`. */
  forkOf?: string;
  installationId?: number;
  /** A local bare git repository standing for this repository's git data: branches pushed there resolve here too. */
  gitRemote?: string;
}

export interface StoredComment {
  id: number;
  issueNumber: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
}

export interface StoredReaction {
  id: number;
  commentId: number;
  content: string;
  user: string;
}

export interface StoredPullRequest {
  number: number;
  title: string;
  body: string | null;
  head: string;
  headSha: string;
  base: string;
  draft: boolean;
  state: "open" | "closed";
  user: string;
  /** `owner/name` of the fork the head branch lives in (a fork's pull request); unset for the repository's own. */
  headRepository?: string;
  /** "Allow edits by maintainers" of a fork's pull request. */
  maintainerCanModify?: boolean;
}

export interface StoredIssue {
  number: number;
  title: string;
  labels: string[];
  isPullRequest: boolean;
}

export interface StoredCheckRun {
  id: number;
  name: string;
  headSha: string;
  externalId: string;
  status: string;
  conclusion: string | null;
  detailsUrl: string | null;
  startedAt: string | null;
  completedAt: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
}

export interface StoredDispatch {
  owner: string;
  repo: string;
  workflow: string;
  ref: string;
  inputs: Record<string, unknown>;
  runId: number;
  /** What GitHub gives the dispatched run as `GITHUB_SHA`: the tip of the dispatched branch when it was dispatched. */
  sha: string;
  /** What GitHub gives the dispatched run as `GITHUB_REF`: `refs/heads/<branch>` (or the tag's full ref). */
  githubRef: string;
}

export interface StoredArtifact {
  id: number;
  runId: number;
  name: string;
  /** The zip archive GitHub's download redirect serves. */
  zip: Buffer;
  createdAt: string;
  expired: boolean;
}

export interface Workflow {
  id: number;
  file: string;
  dispatchable: boolean;
}

export class FakeRepository {
  readonly id: number;
  readonly owner: string;
  readonly name: string;
  readonly defaultBranch: string;
  readonly isPrivate: boolean;
  readonly forkOf: string | null;
  readonly installationId: number;
  readonly gitRemote: string | null;
  readonly permissions: Map<string, PermissionLevel>;
  readonly commits = new Map<string, Map<string, string>>();
  readonly branches = new Map<string, string>();
  readonly tags = new Map<string, string>();
  readonly workflows: Workflow[];
  readonly issues = new Map<number, StoredIssue>();
  readonly pulls = new Map<number, StoredPullRequest>();
  readonly comments: StoredComment[] = [];
  readonly reactions: StoredReaction[] = [];
  readonly checkRuns: StoredCheckRun[] = [];
  readonly dispatches: StoredDispatch[] = [];
  readonly artifacts: StoredArtifact[] = [];
  /** Blobs, trees and commits with git's own hashing; every commit in `commits` has its object here. */
  readonly git = new GitObjects();
  nextIssueNumber = 1;

  constructor(options: RepositoryOptions, id: number, nextWorkflowId: () => number) {
    this.id = id;
    this.owner = options.owner;
    this.name = options.name;
    this.defaultBranch = options.defaultBranch ?? "main";
    this.isPrivate = options.private ?? false;
    this.forkOf = options.forkOf ?? null;
    this.installationId = options.installationId ?? 1;
    this.gitRemote = options.gitRemote ?? null;
    this.permissions = new Map(Object.entries(options.permissions ?? {}));
    this.workflows = (options.workflows ?? []).map((entry) => {
      const definition = typeof entry === "string" ? { file: entry } : entry;
      return { id: nextWorkflowId(), file: definition.file, dispatchable: definition.dispatchable ?? true };
    });
    const files = new Map(Object.entries(options.files ?? { "README.md": `# ${options.name}\n` }));
    for (const workflow of this.workflows) {
      const path = `.github/workflows/${workflow.file}`;
      if (!files.has(path))
        files.set(
          path,
          `name: ${workflow.file}\non: ${workflow.dispatchable ? "workflow_dispatch" : "push"}\n`,
        );
    }
    const sha = this.commit(files);
    this.branches.set(this.defaultBranch, sha);
  }

  get fullName(): string {
    return `${this.owner}/${this.name}`;
  }

  /** Stores a snapshot of files as a commit and returns its (deterministic, content-addressed) sha. */
  commit(files: Map<string, string>, parent = ""): string {
    const hash = createHash("sha1").update(parent);
    for (const [path, content] of [...files].sort(([a], [b]) => a.localeCompare(b)))
      hash.update(`${path}\0${content}\0`);
    hash.update(String(this.commits.size));
    const sha = hash.digest("hex");
    this.commits.set(sha, new Map(files));
    const items = new Map<string, TreeItem>();
    for (const [path, content] of files)
      items.set(path, { mode: "100644", type: "blob", sha: this.git.putBlob(content) });
    const date = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    const person = { name: "fake-github", email: "fake-github@example.com", date };
    this.git.putCommit(
      {
        tree: this.git.treeFromPaths(items),
        parents: parent ? [parent] : [],
        message: "fake commit\n",
        author: person,
        committer: person,
      },
      sha,
    );
    return sha;
  }

  /** The commit object with this sha, copied from the linked bare repository when only that has it. */
  findCommit(sha: string) {
    const known = this.git.commits.get(sha);
    if (known || !this.gitRemote || !/^[0-9a-f]{40}$/.test(sha)) return known;
    try {
      this.importGit(this.gitRemote, sha);
    } catch {
      return undefined;
    }
    return this.git.commits.get(sha);
  }

  /** Records a commit object the API created (or imported) as a snapshot of its files, so every route sees it. */
  rememberCommit(sha: string): void {
    const commit = this.git.commits.get(sha);
    if (commit && !this.commits.has(sha)) this.commits.set(sha, this.git.filesOf(commit.tree));
  }

  /**
   * Copies `commitish` and its history from a local git repository with git's own shas, and points `branch` at it
   * (when given). Returns the commit sha: the same id `git rev-parse` gives in that repository.
   */
  importGit(gitDir: string, commitish: string, branch?: string): string {
    const head = this.git.importFromGit(gitDir, commitish);
    for (const sha of this.git.commits.keys()) this.rememberCommit(sha);
    if (branch) this.branches.set(branch, head);
    return head;
  }

  /** A branch name, `heads/x`, `refs/heads/x`, a tag or a full sha → commit sha; null when unknown. */
  resolveRef(ref: string): string | null {
    const name = ref.replace(/^refs\//, "").replace(/^heads\//, "");
    if (this.branches.has(name)) return this.branches.get(name) ?? null;
    const tag = name.replace(/^tags\//, "");
    if (this.tags.has(tag)) return this.tags.get(tag) ?? null;
    if (/^[0-9a-f]{40}$/.test(ref) && this.commits.has(ref)) return ref;
    return this.resolveFromGitRemote(name);
  }

  /** Looks a branch up in the linked bare repository (where the Action pushes) and remembers it. */
  private resolveFromGitRemote(name: string): string | null {
    if (!this.gitRemote) return null;
    try {
      const sha = execFileSync(
        "git",
        ["--git-dir", this.gitRemote, "rev-parse", "--verify", "--quiet", `refs/heads/${name}^{commit}`],
        {
          encoding: "utf8",
          stdio: ["ignore", "pipe", "ignore"],
        },
      ).trim();
      if (!/^[0-9a-f]{40}$/.test(sha)) return null;
      this.importGit(this.gitRemote, sha, name);
      return sha;
    } catch {
      return null;
    }
  }

  filesAt(ref: string): Map<string, string> | null {
    const sha = this.resolveRef(ref);
    return sha ? (this.commits.get(sha) ?? null) : null;
  }

  findWorkflow(idOrFile: string): Workflow | null {
    return (
      this.workflows.find((workflow) => String(workflow.id) === idOrFile || workflow.file === idOrFile) ??
      null
    );
  }

  ensureIssue(number: number, isPullRequest: boolean, title = `Issue ${number}`): StoredIssue {
    const existing = this.issues.get(number);
    if (existing) return existing;
    const issue: StoredIssue = { number, title, labels: [], isPullRequest };
    this.issues.set(number, issue);
    this.nextIssueNumber = Math.max(this.nextIssueNumber, number + 1);
    return issue;
  }
}

export function blobSha(content: string): string {
  return createHash("sha1")
    .update(`blob ${Buffer.byteLength(content)}\0${content}`)
    .digest("hex");
}
