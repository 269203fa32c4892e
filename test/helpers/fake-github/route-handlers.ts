// The fake GitHub's stateful behaviour, one handler per documented operation id, answering like api.github.com does.
import type { TreeItem, TreeItemType } from "./git-objects.js";
import {
  appPayload,
  artifactPayload,
  branchPayload,
  checkRunPayload,
  commentPayload,
  directoryPayload,
  dispatchRunPayload,
  fileCommitPayload,
  fileContentPayload,
  gitBlobCreatedPayload,
  gitBlobPayload,
  gitCommitPayload,
  gitRefPayload,
  gitTreePayload,
  installationPayload,
  installationTokenPayload,
  labelsPayload,
  permissionPayload,
  pullRequestPayload,
  rateLimitPayload,
  reactionPayload,
  repositoryPayload,
  timestamp,
  workflowPayload,
} from "./payloads.js";
import type { FakeRepository, StoredCheckRun, StoredDispatch } from "./repository-state.js";

export interface HandlerRequest {
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  authorization: string | undefined;
}

export interface HandlerResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface World {
  repository(owner: string, name: string): FakeRepository | undefined;
  nextId(): number;
  appId: number;
  viewer: string;
  issueToken(installationId: number): { token: string; expiresAt: string };
  recordDispatch(dispatch: StoredDispatch): void;
  /** The fake's own base URL (for redirects to what it serves outside the API, such as artifact archives). */
  serverUrl: string;
}

type Handler = (world: World, request: HandlerRequest) => HandlerResponse;
type Body = Record<string, unknown>;

const DOCS = "https://docs.github.com/rest";

export function errorResponse(status: number, message: string, errors?: unknown[]): HandlerResponse {
  return {
    status,
    body: { message, documentation_url: DOCS, ...(errors ? { errors } : {}), status: String(status) },
  };
}

const notFound = (): HandlerResponse => errorResponse(404, "Not Found");

function bodyOf(request: HandlerRequest): Body {
  return (request.body ?? {}) as Body;
}

/** Runs `then` with the repository named in the path, or answers 404 like GitHub does for unknown or hidden repositories. */
function withRepository(
  handler: (repository: FakeRepository, world: World, request: HandlerRequest) => HandlerResponse,
): Handler {
  return (world, request) => {
    const repository = world.repository(request.params.owner ?? "", request.params.repo ?? "");
    return repository ? handler(repository, world, request) : notFound();
  };
}

function page<T>(items: T[], query: Record<string, string>): T[] {
  const perPage = Number(query.per_page ?? 30);
  const pageNumber = Number(query.page ?? 1);
  return items.slice((pageNumber - 1) * perPage, pageNumber * perPage);
}

function pageHeaders(total: number, query: Record<string, string>, path: string): Record<string, string> {
  const perPage = Number(query.per_page ?? 30);
  const pageNumber = Number(query.page ?? 1);
  if (pageNumber * perPage >= total) return {};
  const next = new URLSearchParams({ ...query, page: String(pageNumber + 1) });
  return { link: `<${path}?${next}>; rel="next"` };
}

function issueNumberOf(request: HandlerRequest): number {
  return Number(request.params.issue_number);
}

function findComment(repository: FakeRepository, request: HandlerRequest) {
  return repository.comments.find((comment) => comment.id === Number(request.params.comment_id));
}

function checkRunFields(run: StoredCheckRun, body: Body): void {
  if (typeof body.name === "string") run.name = body.name;
  if (typeof body.external_id === "string") run.externalId = body.external_id;
  if (typeof body.details_url === "string") run.detailsUrl = body.details_url;
  if (typeof body.started_at === "string") run.startedAt = body.started_at;
  if (typeof body.status === "string") run.status = body.status;
  if (typeof body.conclusion === "string") {
    run.conclusion = body.conclusion;
    run.status = "completed";
  }
  if (run.status === "completed" && !run.completedAt) {
    run.completedAt = typeof body.completed_at === "string" ? body.completed_at : timestamp();
  }
  const output = body.output as Body | undefined;
  if (output) {
    run.output = {
      title: typeof output.title === "string" ? output.title : run.output.title,
      summary: typeof output.summary === "string" ? output.summary : run.output.summary,
      text: typeof output.text === "string" ? output.text : run.output.text,
    };
  }
}

function pathsUnder(files: Map<string, string>, directory: string) {
  const prefix = directory === "" ? "" : `${directory.replace(/\/$/, "")}/`;
  const entries = new Map<string, { path: string; isDirectory: boolean; content: string }>();
  for (const [path, content] of files) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    const [first = "", ...more] = rest.split("/");
    const entryPath = `${prefix}${first}`;
    entries.set(entryPath, {
      path: entryPath,
      isDirectory: more.length > 0,
      content: more.length > 0 ? "" : content,
    });
  }
  return [...entries.values()].sort((a, b) => a.path.localeCompare(b.path));
}

export const HANDLERS: Record<string, Handler> = {
  "repos/get": withRepository((repository, world, request) => {
    const auth = request.authorization ? (repository.permissions.get(world.viewer) ?? "admin") : "read";
    return { status: 200, body: repositoryPayload(repository, auth) };
  }),

  "repos/get-collaborator-permission-level": withRepository((repository, _world, request) => {
    const username = request.params.username ?? "";
    const role =
      repository.permissions.get(username) ??
      [...repository.permissions].find(([name]) => name.toLowerCase() === username.toLowerCase())?.[1];
    if (!role) return errorResponse(404, `${username} is not a user`);
    return { status: 200, body: permissionPayload(username, role) };
  }),

  "pulls/create": withRepository((repository, world, request) => {
    const body = bodyOf(request);
    const head = String(body.head ?? "").replace(new RegExp(`^${repository.owner}:`), "");
    const base = String(body.base ?? "");
    const headSha = repository.resolveRef(head);
    if (!headSha) {
      return errorResponse(422, "Validation Failed", [
        { resource: "PullRequest", field: "head", code: "invalid" },
      ]);
    }
    if (!repository.branches.has(base)) {
      return errorResponse(422, "Validation Failed", [
        { resource: "PullRequest", field: "base", code: "invalid" },
      ]);
    }
    const duplicate = [...repository.pulls.values()].find(
      (pull) => pull.state === "open" && pull.head === head && pull.base === base,
    );
    if (duplicate) {
      return errorResponse(422, "Validation Failed", [
        {
          resource: "PullRequest",
          code: "custom",
          message: `A pull request already exists for ${repository.owner}:${head}.`,
        },
      ]);
    }
    const number = repository.nextIssueNumber;
    const title = typeof body.title === "string" ? body.title : head;
    repository.ensureIssue(number, true, title);
    const pull = {
      number,
      title,
      body: typeof body.body === "string" ? body.body : null,
      head,
      headSha,
      base,
      draft: body.draft === true,
      state: "open" as const,
      user: world.viewer,
    };
    repository.pulls.set(number, pull);
    return { status: 201, body: pullRequestPayload(repository, pull) };
  }),

  "pulls/get": withRepository((repository, _world, request) => {
    const pull = repository.pulls.get(Number(request.params.pull_number));
    return pull ? { status: 200, body: pullRequestPayload(repository, pull) } : notFound();
  }),

  "pulls/list": withRepository((repository, _world, request) => {
    const state = request.query.state ?? "open";
    const head = request.query.head;
    const pulls = [...repository.pulls.values()].filter((pull) => {
      if (state !== "all" && pull.state !== state) return false;
      if (request.query.base && pull.base !== request.query.base) return false;
      if (head) {
        const [owner, branch] = head.includes(":") ? head.split(":") : [repository.owner, head];
        const headOwner = (pull.headRepository ?? repository.fullName).split("/")[0];
        if (owner?.toLowerCase() !== headOwner?.toLowerCase() || pull.head !== branch) return false;
      }
      return true;
    });
    return {
      status: 200,
      body: page(pulls, request.query).map((pull) => pullRequestPayload(repository, pull)),
      headers: pageHeaders(pulls.length, request.query, `/repos/${repository.fullName}/pulls`),
    };
  }),

  "repos/list-pull-requests-associated-with-commit": withRepository((repository, _world, request) => {
    const sha = request.params.commit_sha ?? "";
    const pulls = [...repository.pulls.values()].filter(
      (pull) => pull.headSha === sha || pull.headSha.startsWith(sha),
    );
    return { status: 200, body: pulls.map((pull) => pullRequestPayload(repository, pull)) };
  }),

  "issues/create-comment": withRepository((repository, world, request) => {
    const issueNumber = issueNumberOf(request);
    if (!repository.issues.has(issueNumber)) return notFound();
    const now = timestamp();
    const comment = {
      id: world.nextId(),
      issueNumber,
      body: String(bodyOf(request).body),
      user: world.viewer,
      createdAt: now,
      updatedAt: now,
    };
    repository.comments.push(comment);
    return { status: 201, body: commentPayload(repository, comment) };
  }),

  "issues/update-comment": withRepository((repository, _world, request) => {
    const comment = findComment(repository, request);
    if (!comment) return notFound();
    comment.body = String(bodyOf(request).body);
    comment.updatedAt = timestamp();
    return { status: 200, body: commentPayload(repository, comment) };
  }),

  "issues/get-comment": withRepository((repository, _world, request) => {
    const comment = findComment(repository, request);
    return comment ? { status: 200, body: commentPayload(repository, comment) } : notFound();
  }),

  "issues/list-comments": withRepository((repository, _world, request) => {
    const issueNumber = issueNumberOf(request);
    if (!repository.issues.has(issueNumber)) return notFound();
    const comments = repository.comments.filter((comment) => comment.issueNumber === issueNumber);
    return {
      status: 200,
      body: page(comments, request.query).map((comment) => commentPayload(repository, comment)),
      headers: pageHeaders(
        comments.length,
        request.query,
        `/repos/${repository.fullName}/issues/${issueNumber}/comments`,
      ),
    };
  }),

  "reactions/create-for-issue-comment": withRepository((repository, world, request) => {
    const comment = findComment(repository, request);
    if (!comment) return notFound();
    const content = String(bodyOf(request).content);
    const existing = repository.reactions.find(
      (r) => r.commentId === comment.id && r.content === content && r.user === world.viewer,
    );
    if (existing) return { status: 200, body: reactionPayload(existing) };
    const reaction = { id: world.nextId(), commentId: comment.id, content, user: world.viewer };
    repository.reactions.push(reaction);
    return { status: 201, body: reactionPayload(reaction) };
  }),

  "issues/add-labels": withRepository((repository, _world, request) => {
    const issue = repository.issues.get(issueNumberOf(request));
    if (!issue) return notFound();
    const body = request.body;
    const raw = Array.isArray(body)
      ? body
      : (((body as Body | undefined)?.labels as unknown[] | undefined) ?? []);
    const names = raw.map((label) => (typeof label === "string" ? label : String((label as Body).name)));
    for (const name of names) if (!issue.labels.includes(name)) issue.labels.push(name);
    return { status: 200, body: labelsPayload(repository, issue.labels) };
  }),

  "checks/create": withRepository((repository, world, request) => {
    const body = bodyOf(request);
    const run: StoredCheckRun = {
      id: world.nextId(),
      name: String(body.name),
      headSha: String(body.head_sha),
      externalId: "",
      status: "queued",
      conclusion: null,
      detailsUrl: null,
      startedAt: timestamp(),
      completedAt: null,
      output: { title: null, summary: null, text: null },
    };
    checkRunFields(run, body);
    repository.checkRuns.push(run);
    return { status: 201, body: checkRunPayload(repository, run) };
  }),

  "checks/update": withRepository((repository, _world, request) => {
    const run = repository.checkRuns.find(
      (candidate) => candidate.id === Number(request.params.check_run_id),
    );
    if (!run) return notFound();
    checkRunFields(run, bodyOf(request));
    return { status: 200, body: checkRunPayload(repository, run) };
  }),

  "checks/get": withRepository((repository, _world, request) => {
    const run = repository.checkRuns.find(
      (candidate) => candidate.id === Number(request.params.check_run_id),
    );
    return run ? { status: 200, body: checkRunPayload(repository, run) } : notFound();
  }),

  "checks/list-for-ref": withRepository((repository, _world, request) => {
    const ref = request.params.ref ?? "";
    const sha = repository.resolveRef(ref) ?? ref;
    const runs = repository.checkRuns.filter(
      (run) =>
        run.headSha === sha &&
        (!request.query.check_name || run.name === request.query.check_name) &&
        (!request.query.status || run.status === request.query.status),
    );
    return {
      status: 200,
      body: {
        total_count: runs.length,
        check_runs: page(runs, request.query).map((run) => checkRunPayload(repository, run)),
      },
    };
  }),

  "actions/list-repo-workflows": withRepository((repository, _world, request) => ({
    status: 200,
    body: {
      total_count: repository.workflows.length,
      workflows: page(repository.workflows, request.query).map((workflow) =>
        workflowPayload(repository, workflow),
      ),
    },
  })),

  "actions/get-workflow": withRepository((repository, _world, request) => {
    const workflow = repository.findWorkflow(request.params.workflow_id ?? "");
    return workflow ? { status: 200, body: workflowPayload(repository, workflow) } : notFound();
  }),

  "actions/create-workflow-dispatch": withRepository((repository, world, request) => {
    const workflow = repository.findWorkflow(request.params.workflow_id ?? "");
    if (!workflow) return notFound();
    if (!workflow.dispatchable)
      return errorResponse(422, "Workflow does not have 'workflow_dispatch' trigger");
    const body = bodyOf(request);
    const ref = String(body.ref);
    if (!repository.resolveRef(ref)) return errorResponse(422, `No ref found for: ${ref}`);
    const inputs = (body.inputs ?? {}) as Record<string, unknown>;
    if (Object.keys(inputs).length > 25)
      return errorResponse(422, "you may only define up to 25 `inputs` for a `workflow_dispatch` event");
    const runId = world.nextId();
    // GitHub runs a dispatched workflow at the tip of the dispatched branch: that is its GITHUB_SHA and GITHUB_REF.
    const shortRef = ref.replace(/^refs\//, "");
    const githubRef = /^(heads|tags)\//.test(shortRef)
      ? `refs/${shortRef}`
      : repository.tags.has(shortRef) && !repository.branches.has(shortRef)
        ? `refs/tags/${shortRef}`
        : `refs/heads/${shortRef}`;
    world.recordDispatch({
      owner: repository.owner,
      repo: repository.name,
      workflow: workflow.file,
      ref,
      inputs,
      runId,
      sha: repository.resolveRef(ref) ?? "",
      githubRef,
    });
    if (body.return_run_details === true) return { status: 200, body: dispatchRunPayload(repository, runId) };
    return { status: 204 };
  }),

  "repos/get-content": withRepository((repository, _world, request) => {
    const ref = request.query.ref ?? repository.defaultBranch;
    const files = repository.filesAt(ref);
    if (!files) return errorResponse(404, `No commit found for the ref ${ref}`);
    const path = (request.params.path ?? "").replace(/^\/+|\/+$/g, "");
    const content = files.get(path);
    if (content !== undefined)
      return { status: 200, body: fileContentPayload(repository, path, content, ref) };
    const entries = pathsUnder(files, path);
    if (entries.length === 0) return notFound();
    return { status: 200, body: directoryPayload(repository, entries, ref) };
  }),

  "repos/create-or-update-file-contents": withRepository((repository, _world, request) => {
    const body = bodyOf(request);
    const branch = typeof body.branch === "string" ? body.branch : repository.defaultBranch;
    const parent = repository.branches.get(branch);
    if (!parent) return errorResponse(404, `Branch ${branch} not found`);
    const path = request.params.path ?? "";
    const files = new Map(repository.commits.get(parent));
    const existing = files.get(path);
    if (existing !== undefined) {
      if (typeof body.sha !== "string")
        return errorResponse(422, 'Invalid request.\n\n"sha" wasn\'t supplied.');
      const currentSha = fileContentPayload(repository, path, existing, branch).sha;
      if (body.sha !== currentSha) return errorResponse(409, `${path} does not match ${body.sha}`);
    }
    const content = Buffer.from(String(body.content), "base64").toString("utf8");
    files.set(path, content);
    const sha = repository.commit(files, parent);
    repository.branches.set(branch, sha);
    const status = existing === undefined ? 201 : 200;
    return { status, body: fileCommitPayload(repository, path, content, sha, status) };
  }),

  "git/get-ref": withRepository((repository, _world, request) => {
    const ref = request.params.ref ?? "";
    const match = /^(heads|tags)\/(.+)$/.exec(ref);
    const sha =
      match?.[1] === "heads"
        ? repository.branches.get(match[2] ?? "")
        : repository.tags.get(match?.[2] ?? "");
    return sha ? { status: 200, body: gitRefPayload(repository, `refs/${ref}`, sha) } : notFound();
  }),

  "git/create-ref": withRepository((repository, _world, request) => {
    const body = bodyOf(request);
    const ref = String(body.ref);
    const sha = String(body.sha);
    const match = /^refs\/(heads|tags)\/(.+)$/.exec(ref);
    if (!match?.[2])
      return errorResponse(422, "Reference name must start with 'refs/' and have at least two slashes.");
    if (!repository.commits.has(sha) && !repository.git.commits.has(sha))
      return errorResponse(422, "Object does not exist");
    repository.rememberCommit(sha);
    const target = match[1] === "heads" ? repository.branches : repository.tags;
    if (target.has(match[2])) return errorResponse(422, "Reference already exists");
    target.set(match[2], sha);
    return {
      status: 201,
      body: gitRefPayload(repository, ref, sha),
      headers: { location: `/repos/${repository.fullName}/git/${ref}` },
    };
  }),

  "git/update-ref": withRepository((repository, _world, request) => {
    const body = bodyOf(request);
    const ref = (request.params.ref ?? "").replace(/^refs\//, "");
    const match = /^(heads|tags)\/(.+)$/.exec(ref);
    const target = match?.[1] === "heads" ? repository.branches : repository.tags;
    const name = match?.[2] ?? "";
    const current = target.get(name);
    if (!current) return errorResponse(422, "Reference does not exist");
    const sha = String(body.sha);
    if (!repository.git.commits.has(sha)) return errorResponse(422, "Object does not exist");
    if (body.force !== true && !repository.git.isAncestor(current, sha))
      return errorResponse(422, "Update is not a fast forward");
    repository.rememberCommit(sha);
    target.set(name, sha);
    return { status: 200, body: gitRefPayload(repository, `refs/${ref}`, sha) };
  }),

  "git/get-commit": withRepository((repository, _world, request) => {
    const commit = repository.findCommit(request.params.commit_sha ?? "");
    return commit ? { status: 200, body: gitCommitPayload(repository, commit) } : notFound();
  }),

  "git/create-commit": withRepository((repository, world, request) => {
    const body = bodyOf(request);
    const tree = String(body.tree);
    if (!repository.git.trees.has(tree)) return errorResponse(422, "Tree SHA does not exist");
    const parents = Array.isArray(body.parents) ? body.parents.map(String) : [];
    for (const parent of parents) {
      if (!repository.findCommit(parent))
        return errorResponse(422, "Parent SHA does not exist or is not a commit object");
    }
    const now = timestamp();
    const person = (value: unknown) => {
      const given = value as Body | undefined;
      if (!given) return null;
      return {
        name: String(given.name),
        email: String(given.email),
        date: typeof given.date === "string" ? timestamp(new Date(given.date)) : now,
      };
    };
    const viewer = {
      name: world.viewer,
      email: `${world.viewer.replace(/\W/g, "")}@users.noreply.github.com`,
      date: now,
    };
    const author = person(body.author) ?? viewer;
    const committer = person(body.committer) ?? { ...author, date: now };
    const sha = repository.git.putCommit({ tree, parents, message: String(body.message), author, committer });
    repository.rememberCommit(sha);
    const commit = repository.git.commits.get(sha);
    return {
      status: 201,
      body: commit ? gitCommitPayload(repository, commit) : undefined,
      headers: { location: `/repos/${repository.fullName}/git/commits/${sha}` },
    };
  }),

  "git/get-tree": withRepository((repository, _world, request) => {
    const requested = request.params.tree_sha ?? "";
    const sha = repository.git.trees.has(requested)
      ? requested
      : (repository.git.commits.get(repository.resolveRef(requested) ?? "")?.tree ?? "");
    const entries = repository.git.trees.get(sha);
    if (!entries) return notFound();
    const recursive = request.query.recursive !== undefined && request.query.recursive !== "";
    const listed = recursive
      ? repository.git.listTree(sha, true)
      : [...entries].map(([path, item]) => ({ path, ...item }));
    const sizeOf = (blob: string) => repository.git.blobs.get(blob)?.length ?? 0;
    return { status: 200, body: gitTreePayload(repository, sha, listed, sizeOf) };
  }),

  "git/create-tree": withRepository((repository, _world, request) => {
    const body = bodyOf(request);
    const baseTree = typeof body.base_tree === "string" ? body.base_tree : null;
    if (baseTree !== null && !repository.git.trees.has(baseTree))
      return errorResponse(422, "Invalid tree info", [
        { resource: "Tree", field: "base_tree", code: "invalid" },
      ]);
    const items = baseTree ? repository.git.pathsOf(baseTree) : new Map<string, TreeItem>();
    for (const raw of (body.tree ?? []) as Body[]) {
      const path = String(raw.path);
      if (
        path === "" ||
        path.startsWith("/") ||
        path.split("/").some((s) => s === "" || s === "." || s === "..")
      )
        return errorResponse(422, `tree.path ${path} is invalid`);
      const mode = String(raw.mode);
      const type = String(raw.type) as TreeItemType;
      for (const existing of [...items.keys()]) {
        if (existing === path || existing.startsWith(`${path}/`)) items.delete(existing);
      }
      if (raw.sha === null) continue;
      let sha: string;
      if (typeof raw.content === "string") sha = repository.git.putBlob(raw.content);
      else sha = String(raw.sha);
      if (type === "tree") {
        if (!repository.git.trees.has(sha)) return errorResponse(422, `tree.sha ${sha} is not a valid tree`);
        for (const [inner, item] of repository.git.pathsOf(sha)) items.set(`${path}/${inner}`, item);
        continue;
      }
      if (type === "blob" && !repository.git.blobs.has(sha))
        return errorResponse(422, `tree.sha ${sha} is not a valid blob`);
      const segments = path.split("/");
      for (let i = 1; i < segments.length; i += 1) {
        if (items.has(segments.slice(0, i).join("/")))
          return errorResponse(422, `tree.path ${path} is below a file`);
      }
      items.set(path, { mode, type, sha });
    }
    const sha = repository.git.treeFromPaths(items);
    const sizeOf = (blob: string) => repository.git.blobs.get(blob)?.length ?? 0;
    const top = [...(repository.git.trees.get(sha) ?? [])].map(([path, item]) => ({ path, ...item }));
    return { status: 201, body: gitTreePayload(repository, sha, top, sizeOf) };
  }),

  "git/get-blob": withRepository((repository, _world, request) => {
    const sha = request.params.file_sha ?? "";
    const bytes = repository.git.blobs.get(sha);
    return bytes ? { status: 200, body: gitBlobPayload(repository, sha, bytes) } : notFound();
  }),

  "git/create-blob": withRepository((repository, _world, request) => {
    const body = bodyOf(request);
    const encoding = body.encoding === "base64" ? "base64" : "utf8";
    const sha = repository.git.putBlob(Buffer.from(String(body.content), encoding));
    return {
      status: 201,
      body: gitBlobCreatedPayload(repository, sha),
      headers: { location: `/repos/${repository.fullName}/git/blobs/${sha}` },
    };
  }),

  "actions/list-workflow-run-artifacts": withRepository((repository, _world, request) => {
    const runId = Number(request.params.run_id);
    const artifacts = repository.artifacts.filter(
      (artifact) => artifact.runId === runId && (!request.query.name || artifact.name === request.query.name),
    );
    const dispatch = repository.dispatches.find((entry) => entry.runId === runId);
    const headBranch = dispatch?.githubRef.replace(/^refs\/(heads|tags)\//, "") ?? repository.defaultBranch;
    const headSha = dispatch?.sha ?? repository.branches.get(repository.defaultBranch) ?? "";
    return {
      status: 200,
      body: {
        total_count: artifacts.length,
        artifacts: page(artifacts, request.query).map((artifact) =>
          artifactPayload(repository, artifact, headSha, headBranch),
        ),
      },
    };
  }),

  "actions/download-artifact": withRepository((repository, world, request) => {
    const artifact = repository.artifacts.find((entry) => entry.id === Number(request.params.artifact_id));
    if (!artifact || request.params.archive_format !== "zip") return notFound();
    if (artifact.expired) return errorResponse(410, "Artifact has expired");
    return {
      status: 302,
      headers: { location: `${world.serverUrl}/_fake/artifacts/${repository.fullName}/${artifact.id}.zip` },
    };
  }),

  "repos/get-branch": withRepository((repository, _world, request) => {
    const name = request.params.branch ?? "";
    const sha = repository.branches.get(name);
    return sha
      ? { status: 200, body: branchPayload(repository, name, sha) }
      : errorResponse(404, "Branch not found");
  }),

  "apps/get-repo-installation": withRepository((repository) => ({
    status: 200,
    body: installationPayload(repository.installationId, repository.owner),
  })),

  "apps/create-installation-access-token": (world, request) => {
    const issued = world.issueToken(Number(request.params.installation_id));
    return { status: 201, body: installationTokenPayload(issued.token, issued.expiresAt) };
  },

  "apps/get-authenticated": (world) => ({ status: 200, body: appPayload(world.appId) }),

  "rate-limit/get": () => ({ status: 200, body: rateLimitPayload() }),
};
