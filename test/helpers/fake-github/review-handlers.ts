// The fake GitHub's pull-request files (patches made by real `git diff`) and review comments, which it accepts only on lines of the diff.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { documentedExample } from "./openapi-description.js";
import { timestamp, userPayload } from "./payloads.js";
import type { FakeRepository } from "./repository-state.js";
import type { HandlerRequest, HandlerResponse, World } from "./route-handlers.js";

type Json = Record<string, unknown>;

export interface StoredReviewComment {
  id: number;
  pullNumber: number;
  commitId: string;
  path: string;
  line: number;
  startLine: number | null;
  side: string;
  body: string;
  user: string;
}

const reviewComments = new WeakMap<FakeRepository, StoredReviewComment[]>();

/** The review comments posted on a repository's pull requests, oldest first. */
export function reviewCommentsOf(repository: FakeRepository): StoredReviewComment[] {
  let list = reviewComments.get(repository);
  if (!list) {
    list = [];
    reviewComments.set(repository, list);
  }
  return list;
}

interface FileDiff {
  filename: string;
  status: "added" | "removed" | "modified";
  patch: string;
  additions: number;
  deletions: number;
}

/** The hunks of `git diff --no-index` between two versions of one file (what GitHub shows as a file's `patch`). */
function gitPatch(before: string | undefined, after: string | undefined): string {
  const directory = mkdtempSync(join(tmpdir(), "fake-github-diff-"));
  try {
    const side = (name: string, content: string | undefined) => {
      if (content === undefined) return "/dev/null";
      const path = join(directory, name);
      writeFileSync(path, content);
      return path;
    };
    const result = spawnSync(
      "git",
      ["diff", "--no-index", "--no-color", side("before", before), side("after", after)],
      {
        encoding: "utf8",
      },
    );
    const text = result.stdout ?? "";
    const start = text.indexOf("\n@@");
    return start < 0 ? "" : text.slice(start + 1).replace(/\n$/, "");
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

function pullRequestFiles(repository: FakeRepository, base: string, headSha: string): FileDiff[] {
  const before = repository.filesAt(base) ?? new Map<string, string>();
  const after = repository.commits.get(headSha) ?? new Map<string, string>();
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  const files: FileDiff[] = [];
  for (const path of paths) {
    const old = before.get(path);
    const now = after.get(path);
    if (old === now) continue;
    const patch = gitPatch(old, now);
    const body = patch.split("\n").filter((line) => !line.startsWith("@@"));
    files.push({
      filename: path,
      status: old === undefined ? "added" : now === undefined ? "removed" : "modified",
      patch,
      additions: body.filter((line) => line.startsWith("+")).length,
      deletions: body.filter((line) => line.startsWith("-")).length,
    });
  }
  return files;
}

/** New-side line numbers that appear in a patch (GitHub's rule for RIGHT-side review comments). */
function rightSideLines(patch: string): Set<number> {
  const shown = new Set<number>();
  for (const hunk of patch.split(/^(?=@@ )/m)) {
    const [header = "", ...body] = hunk.split("\n");
    const start = /\+(\d+)/.exec(header);
    if (!start) continue;
    let line = Number(start[1]);
    for (const text of body) {
      if (text.startsWith("-") || text.startsWith("\\")) continue;
      if (!text.startsWith("+") && !text.startsWith(" ")) continue;
      shown.add(line);
      line += 1;
    }
  }
  return shown;
}

/** GitHub's error shape (`validation-error` for 422): each problem an object with a `code` and a message. */
function failure(status: number, message: string, problems?: string[]): HandlerResponse {
  return {
    status,
    body: {
      message,
      documentation_url: "https://docs.github.com/rest",
      ...(problems
        ? {
            errors: problems.map((problem) => ({
              resource: "PullRequestReviewComment",
              code: "custom",
              message: problem,
            })),
          }
        : {}),
    },
  };
}

function withPull(
  handler: (
    repository: FakeRepository,
    pull: { number: number; base: string; headSha: string },
    world: World,
    request: HandlerRequest,
  ) => HandlerResponse,
) {
  return (world: World, request: HandlerRequest): HandlerResponse => {
    const repository = world.repository(request.params.owner ?? "", request.params.repo ?? "");
    const pull = repository?.pulls.get(Number(request.params.pull_number));
    if (!repository || !pull) return failure(404, "Not Found");
    return handler(repository, pull, world, request);
  };
}

function reviewCommentPayload(
  repository: FakeRepository,
  comment: StoredReviewComment,
  diffHunk: string,
): Json {
  const template = documentedExample("pulls/create-review-comment", 201) as Json;
  const url = `https://api.github.com/repos/${repository.fullName}/pulls/comments/${comment.id}`;
  const htmlUrl = `https://github.com/${repository.fullName}/pull/${comment.pullNumber}#discussion_r${comment.id}`;
  const now = timestamp();
  return {
    ...template,
    id: comment.id,
    url,
    html_url: htmlUrl,
    pull_request_url: `https://api.github.com/repos/${repository.fullName}/pulls/${comment.pullNumber}`,
    path: comment.path,
    commit_id: comment.commitId,
    original_commit_id: comment.commitId,
    diff_hunk: diffHunk,
    body: comment.body,
    user: userPayload(comment.user),
    line: comment.line,
    original_line: comment.line,
    start_line: comment.startLine,
    original_start_line: comment.startLine,
    side: comment.side,
    start_side: comment.startLine === null ? null : comment.side,
    created_at: now,
    updated_at: now,
    _links: {
      self: { href: url },
      html: { href: htmlUrl },
      pull_request: {
        href: `https://api.github.com/repos/${repository.fullName}/pulls/${comment.pullNumber}`,
      },
    },
  };
}

export const REVIEW_HANDLERS: Record<string, (world: World, request: HandlerRequest) => HandlerResponse> = {
  "pulls/list-files": withPull((repository, pull, _world, request) => {
    const files = pullRequestFiles(repository, pull.base, pull.headSha);
    const template = (documentedExample("pulls/list-files", 200) as Json[])[0] ?? {};
    const perPage = Number(request.query.per_page ?? 30);
    const page = Number(request.query.page ?? 1);
    const shown = files.slice((page - 1) * perPage, page * perPage);
    return {
      status: 200,
      body: shown.map((file) => ({
        ...template,
        sha: "0".repeat(40),
        filename: file.filename,
        status: file.status,
        additions: file.additions,
        deletions: file.deletions,
        changes: file.additions + file.deletions,
        patch: file.patch,
        blob_url: `https://github.com/${repository.fullName}/blob/${pull.headSha}/${file.filename}`,
        raw_url: `https://github.com/${repository.fullName}/raw/${pull.headSha}/${file.filename}`,
        contents_url: `https://api.github.com/repos/${repository.fullName}/contents/${file.filename}?ref=${pull.headSha}`,
      })),
    };
  }),

  "pulls/create-review-comment": withPull((repository, pull, world, request) => {
    const body = (request.body ?? {}) as Json;
    const path = String(body.path ?? "");
    const line = typeof body.line === "number" ? body.line : null;
    const startLine = typeof body.start_line === "number" ? body.start_line : null;
    const side = String(body.side ?? "RIGHT");
    if (typeof body.body !== "string" || line === null)
      return failure(422, "Validation Failed", ["body and line are required"]);
    if (body.commit_id !== pull.headSha && !repository.commits.has(String(body.commit_id)))
      return failure(422, "Validation Failed", ["commit_id is not part of the pull request"]);
    const file = pullRequestFiles(repository, pull.base, pull.headSha).find(
      (entry) => entry.filename === path,
    );
    if (!file) return failure(422, "Validation Failed", ["path could not be resolved"]);
    if (startLine !== null && startLine > line)
      return failure(422, "Validation Failed", ["start_line must precede the end line."]);
    const shown = rightSideLines(file.patch);
    for (let each = startLine ?? line; each <= line; each += 1)
      if (side !== "RIGHT" || !shown.has(each))
        return failure(422, "Validation Failed", [
          "pull_request_review_thread.line must be part of the diff",
        ]);
    const comment: StoredReviewComment = {
      id: world.nextId(),
      pullNumber: pull.number,
      commitId: String(body.commit_id),
      path,
      line,
      startLine,
      side,
      body: body.body,
      user: world.viewer,
    };
    reviewCommentsOf(repository).push(comment);
    return { status: 201, body: reviewCommentPayload(repository, comment, file.patch) };
  }),
};
