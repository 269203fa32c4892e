// Builds response payloads from GitHub's documented examples, overriding the fields that carry the fake's state.
import { createHash } from "node:crypto";
import type { CommitObject, TreeItem } from "./git-objects.js";
import { documentedExample } from "./openapi-description.js";
import {
  blobSha,
  type FakeRepository,
  type PermissionLevel,
  type StoredArtifact,
  type StoredCheckRun,
  type StoredComment,
  type StoredPullRequest,
  type StoredReaction,
  type Workflow,
} from "./repository-state.js";

type Json = Record<string, unknown>;

const WEB = "https://github.com";
const API = "https://api.github.com";

function example(operationId: string, status: number, name?: string): Json {
  return documentedExample(operationId, status, name) as Json;
}

function userId(login: string): number {
  let hash = 7;
  for (const char of login) hash = (hash * 31 + char.charCodeAt(0)) % 1_000_000;
  return hash + 1;
}

export function userPayload(login: string): Json {
  const user = example("issues/create-comment", 201).user as Json;
  const type = login.endsWith("[bot]") ? "Bot" : "User";
  const path = encodeURIComponent(login);
  return { ...user, login, id: userId(login), type, url: `${API}/users/${path}`, html_url: `${WEB}/${path}` };
}

export function repositoryPayload(
  repository: FakeRepository,
  viewerPermission: PermissionLevel = "admin",
): Json {
  const template = example("repos/get", 200);
  delete template.source;
  delete template.parent;
  delete template.organization;
  const base: Json = {
    ...template,
    id: repository.id,
    name: repository.name,
    full_name: repository.fullName,
    owner: userPayload(repository.owner),
    private: repository.isPrivate,
    visibility: repository.isPrivate ? "private" : "public",
    default_branch: repository.defaultBranch,
    fork: repository.forkOf !== null,
    language: null,
    html_url: `${WEB}/${repository.fullName}`,
    url: `${API}/repos/${repository.fullName}`,
    clone_url: `${WEB}/${repository.fullName}.git`,
    permissions: {
      admin: viewerPermission === "admin",
      maintain: viewerPermission === "admin" || viewerPermission === "maintain",
      push: ["admin", "maintain", "write"].includes(viewerPermission),
      triage: viewerPermission !== "read" && viewerPermission !== "none",
      pull: viewerPermission !== "none",
    },
  };
  if (repository.forkOf) {
    const [owner = "", name = ""] = repository.forkOf.split("/");
    const parent: Json = {
      ...(example("repos/get", 200).parent as Json),
      name,
      full_name: repository.forkOf,
      language: null,
    };
    parent.owner = userPayload(owner);
    base.parent = parent;
    base.source = parent;
  }
  return base;
}

export function simpleRepositoryPayload(repository: FakeRepository): Json {
  const template = (example("pulls/create", 201).head as Json).repo as Json;
  return {
    ...template,
    id: repository.id,
    name: repository.name,
    full_name: repository.fullName,
    owner: userPayload(repository.owner),
    private: repository.isPrivate,
    fork: repository.forkOf !== null,
    default_branch: repository.defaultBranch,
    html_url: `${WEB}/${repository.fullName}`,
    url: `${API}/repos/${repository.fullName}`,
    language: null,
  };
}

export function permissionPayload(login: string, role: PermissionLevel): Json {
  const legacy: Record<PermissionLevel, string> = {
    admin: "admin",
    maintain: "write",
    write: "write",
    triage: "read",
    read: "read",
    none: "none",
  };
  const template = example("repos/get-collaborator-permission-level", 200);
  const user = { ...(template.user as Json), ...userPayload(login), role_name: role };
  return { ...template, permission: legacy[role], role_name: role, user };
}

/** The head repository of a fork's pull request: the base's payload renamed to the fork (the fake keeps forks apart). */
function forkRepositoryPayload(base: Json, fullName: string): Json {
  const [owner = "", name = ""] = fullName.split("/");
  return {
    ...base,
    id: (base.id as number) + 500_000,
    name,
    full_name: fullName,
    fork: true,
    owner: { ...(base.owner as Json), login: owner },
    html_url: `${WEB}/${fullName}`,
    url: `${API}/repos/${fullName}`,
  };
}

export function pullRequestPayload(repository: FakeRepository, pull: StoredPullRequest): Json {
  const template = example("pulls/create", 201);
  const repo = simpleRepositoryPayload(repository);
  const baseSha = repository.resolveRef(pull.base) ?? pull.headSha;
  const issue = repository.issues.get(pull.number);
  const labelTemplate = (template.labels as Json[])[0] ?? {};
  return {
    ...template,
    id: 10_000 + pull.number,
    number: pull.number,
    state: pull.state,
    title: pull.title,
    body: pull.body,
    draft: pull.draft,
    user: userPayload(pull.user),
    labels: (issue?.labels ?? []).map((name, index) => ({ ...labelTemplate, id: index + 1, name })),
    requested_teams: [],
    requested_reviewers: [],
    assignees: [],
    assignee: null,
    milestone: null,
    merged: false,
    merged_at: null,
    closed_at: null,
    html_url: `${WEB}/${repository.fullName}/pull/${pull.number}`,
    url: `${API}/repos/${repository.fullName}/pulls/${pull.number}`,
    maintainer_can_modify: pull.maintainerCanModify ?? false,
    head: {
      ...(template.head as Json),
      ref: pull.head,
      sha: pull.headSha,
      label: `${(pull.headRepository ?? repository.fullName).split("/")[0]}:${pull.head}`,
      repo: pull.headRepository ? forkRepositoryPayload(repo, pull.headRepository) : repo,
    },
    base: {
      ...(template.base as Json),
      ref: pull.base,
      sha: baseSha,
      label: `${repository.owner}:${pull.base}`,
      repo,
    },
  };
}

export function commentPayload(repository: FakeRepository, comment: StoredComment): Json {
  const template = example("issues/create-comment", 201);
  return {
    ...template,
    id: comment.id,
    body: comment.body,
    user: userPayload(comment.user),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    html_url: `${WEB}/${repository.fullName}/issues/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${API}/repos/${repository.fullName}/issues/${comment.issueNumber}`,
    url: `${API}/repos/${repository.fullName}/issues/comments/${comment.id}`,
  };
}

export function reactionPayload(reaction: StoredReaction): Json {
  return {
    ...example("reactions/create-for-issue-comment", 201),
    id: reaction.id,
    content: reaction.content,
    user: userPayload(reaction.user),
  };
}

export function labelsPayload(repository: FakeRepository, names: string[]): Json[] {
  const template = (example("issues/add-labels", 200) as unknown as Json[])[0] ?? {};
  return names.map((name, index) => ({
    ...template,
    id: index + 1,
    name,
    url: `${API}/repos/${repository.fullName}/labels/${encodeURIComponent(name)}`,
    default: false,
  }));
}

export function checkRunPayload(repository: FakeRepository, run: StoredCheckRun): Json {
  const template = example("checks/create", 201);
  return {
    ...template,
    id: run.id,
    name: run.name,
    head_sha: run.headSha,
    external_id: run.externalId,
    status: run.status,
    conclusion: run.conclusion,
    details_url: run.detailsUrl,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: { ...(template.output as Json), ...run.output, annotations_count: 0 },
    url: `${API}/repos/${repository.fullName}/check-runs/${run.id}`,
    html_url: `${WEB}/${repository.fullName}/runs/${run.id}`,
    pull_requests: [],
  };
}

export function workflowPayload(repository: FakeRepository, workflow: Workflow): Json {
  return {
    ...example("actions/get-workflow", 200),
    id: workflow.id,
    name: workflow.file.replace(/\.ya?ml$/, ""),
    path: `.github/workflows/${workflow.file}`,
    state: "active",
    url: `${API}/repos/${repository.fullName}/actions/workflows/${workflow.id}`,
    html_url: `${WEB}/${repository.fullName}/blob/${repository.defaultBranch}/.github/workflows/${workflow.file}`,
  };
}

export function dispatchRunPayload(repository: FakeRepository, runId: number): Json {
  return {
    ...example("actions/create-workflow-dispatch", 200),
    workflow_run_id: runId,
    run_url: `${API}/repos/${repository.fullName}/actions/runs/${runId}`,
    html_url: `${WEB}/${repository.fullName}/actions/runs/${runId}`,
  };
}

function fileLinks(repository: FakeRepository, path: string, sha: string, ref: string): Json {
  return {
    url: `${API}/repos/${repository.fullName}/contents/${path}?ref=${ref}`,
    html_url: `${WEB}/${repository.fullName}/blob/${ref}/${path}`,
    git_url: `${API}/repos/${repository.fullName}/git/blobs/${sha}`,
    download_url: `https://raw.githubusercontent.com/${repository.fullName}/${ref}/${path}`,
  };
}

export function fileContentPayload(
  repository: FakeRepository,
  path: string,
  content: string,
  ref: string,
): Json {
  const sha = blobSha(content);
  const links = fileLinks(repository, path, sha, ref);
  const encoded = Buffer.from(content)
    .toString("base64")
    .replace(/(.{60})/g, "$1\n");
  return {
    type: "file",
    encoding: "base64",
    size: Buffer.byteLength(content),
    name: path.split("/").pop() ?? path,
    path,
    content: encoded,
    sha,
    ...links,
    _links: { self: links.url, git: links.git_url, html: links.html_url },
  };
}

export function directoryPayload(
  repository: FakeRepository,
  entries: Array<{ path: string; isDirectory: boolean; content: string }>,
  ref: string,
): Json[] {
  return entries.map((entry) => {
    const sha = blobSha(entry.content);
    const links = fileLinks(repository, entry.path, sha, ref);
    return {
      type: entry.isDirectory ? "dir" : "file",
      size: entry.isDirectory ? 0 : Buffer.byteLength(entry.content),
      name: entry.path.split("/").pop() ?? entry.path,
      path: entry.path,
      sha,
      ...links,
      download_url: entry.isDirectory ? null : links.download_url,
      _links: { self: links.url, git: links.git_url, html: links.html_url },
    };
  });
}

export function fileCommitPayload(
  repository: FakeRepository,
  path: string,
  content: string,
  commitSha: string,
  status: 200 | 201,
): Json {
  const template = example("repos/create-or-update-file-contents", status);
  const file = fileContentPayload(repository, path, content, repository.defaultBranch);
  const fileTemplate = template.content as Json;
  return {
    content: {
      ...fileTemplate,
      name: file.name,
      path,
      sha: file.sha,
      size: file.size,
      url: file.url,
      html_url: file.html_url,
      git_url: file.git_url,
      download_url: file.download_url,
      _links: file._links,
    },
    commit: {
      ...(template.commit as Json),
      sha: commitSha,
      url: `${API}/repos/${repository.fullName}/git/commits/${commitSha}`,
    },
  };
}

export function gitRefPayload(repository: FakeRepository, ref: string, sha: string): Json {
  return {
    ...example("git/get-ref", 200),
    ref,
    url: `${API}/repos/${repository.fullName}/git/${ref}`,
    object: { type: "commit", sha, url: `${API}/repos/${repository.fullName}/git/commits/${sha}` },
  };
}

export function branchPayload(repository: FakeRepository, name: string, sha: string): Json {
  const template = example("repos/get-branch", 200);
  const commit = {
    ...(template.commit as Json),
    sha,
    url: `${API}/repos/${repository.fullName}/commits/${sha}`,
  };
  return { ...template, name, commit, protected: false };
}

export function installationPayload(installationId: number, account: string): Json {
  return { ...example("apps/get-repo-installation", 200), id: installationId, account: userPayload(account) };
}

export function installationTokenPayload(token: string, expiresAt: string): Json {
  const template = example("apps/create-installation-access-token", 201);
  delete template.repositories;
  return { ...template, token, expires_at: expiresAt, repository_selection: "all" };
}

export function appPayload(appId: number): Json {
  return { ...example("apps/get-authenticated", 200), id: appId, slug: "rfsn", name: "RFSN" };
}

export function rateLimitPayload(): Json {
  return example("rate-limit/get", 200);
}

export function timestamp(now: Date = new Date()): string {
  return now.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function gitCommitPayload(repository: FakeRepository, commit: CommitObject): Json {
  const commitUrl = (sha: string) => `${API}/repos/${repository.fullName}/git/commits/${sha}`;
  return {
    ...example("git/get-commit", 200),
    sha: commit.sha,
    node_id: Buffer.from(`Commit:${commit.sha}`).toString("base64"),
    url: commitUrl(commit.sha),
    html_url: `${WEB}/${repository.fullName}/commit/${commit.sha}`,
    author: { ...commit.author },
    committer: { ...commit.committer },
    message: commit.message,
    tree: { sha: commit.tree, url: `${API}/repos/${repository.fullName}/git/trees/${commit.tree}` },
    parents: commit.parents.map((sha) => ({
      sha,
      url: commitUrl(sha),
      html_url: `${WEB}/${repository.fullName}/commit/${sha}`,
    })),
    verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
  };
}

export function gitTreePayload(
  repository: FakeRepository,
  sha: string,
  entries: Array<{ path: string } & TreeItem>,
  sizeOf: (blobSha: string) => number,
): Json {
  return {
    sha,
    url: `${API}/repos/${repository.fullName}/git/trees/${sha}`,
    truncated: false,
    tree: entries.map((entry) => ({
      path: entry.path,
      mode: entry.mode,
      type: entry.type,
      sha: entry.sha,
      ...(entry.type === "blob" ? { size: sizeOf(entry.sha) } : {}),
      url: `${API}/repos/${repository.fullName}/git/${entry.type === "tree" ? "trees" : "blobs"}/${entry.sha}`,
    })),
  };
}

export function gitBlobPayload(repository: FakeRepository, sha: string, bytes: Buffer): Json {
  return {
    content: bytes.toString("base64").replace(/(.{60})/g, "$1\n"),
    encoding: "base64",
    url: `${API}/repos/${repository.fullName}/git/blobs/${sha}`,
    sha,
    size: bytes.length,
    node_id: Buffer.from(`Blob:${sha}`).toString("base64"),
  };
}

export function gitBlobCreatedPayload(repository: FakeRepository, sha: string): Json {
  return { url: `${API}/repos/${repository.fullName}/git/blobs/${sha}`, sha };
}

export function artifactPayload(
  repository: FakeRepository,
  artifact: StoredArtifact,
  headSha: string,
  headBranch: string,
): Json {
  const url = `${API}/repos/${repository.fullName}/actions/artifacts/${artifact.id}`;
  return {
    id: artifact.id,
    node_id: Buffer.from(`Artifact:${artifact.id}`).toString("base64"),
    name: artifact.name,
    size_in_bytes: artifact.zip.length,
    url,
    archive_download_url: `${url}/zip`,
    expired: artifact.expired,
    created_at: artifact.createdAt,
    expires_at: artifact.createdAt,
    updated_at: artifact.createdAt,
    digest: `sha256:${createHash("sha256").update(artifact.zip).digest("hex")}`,
    workflow_run: {
      id: artifact.runId,
      repository_id: repository.id,
      head_repository_id: repository.id,
      head_branch: headBranch,
      head_sha: headSha,
    },
  };
}
