// Reads the fields RFSN needs out of raw webhook payloads, returning null for anything malformed (pure).

export interface RepositoryInfo {
  owner: string;
  repo: string;
  /** `owner/name`. */
  fullName: string;
  defaultBranch: string;
}

export interface EventOrigin {
  repository: RepositoryInfo;
  installationId: number | null;
  senderLogin: string;
  senderType: string;
}

export interface WorkflowRunEvent extends EventOrigin {
  action: string;
  runId: number;
  runUrl: string;
  workflowName: string;
  /** e.g. `.github/workflows/ci.yml`. */
  workflowPath: string;
  displayTitle: string;
  headSha: string;
  headBranch: string | null;
  conclusion: string | null;
  /** The run's code comes from another repository (a fork's pull request). */
  fromFork: boolean;
  /** `owner/name` the run's code comes from (the fork for a fork's pull request). */
  headRepository: string | null;
  /** What started the run (`push`, `pull_request`, `workflow_dispatch`, …). */
  triggerEvent: string | null;
  /** Who started the run (`triggering_actor`, else `actor`): `<slug>[bot]` for the App's dispatches. */
  actorLogin: string | null;
  /** Pull requests GitHub lists for the run (empty for a fork's pull request). */
  pullRequests: number[];
  /** Numbers of the pull requests whose head this run tested (`workflow_run.pull_requests`). */
  pullRequestNumbers: number[];
}

export interface CheckSuiteEvent extends EventOrigin {
  action: string;
  suiteId: number;
  appSlug: string;
  headSha: string;
  headBranch: string | null;
  conclusion: string | null;
  fromFork: boolean;
  /** Numbers of the pull requests whose head this suite tested (`check_suite.pull_requests`). */
  pullRequestNumbers: number[];
}

export interface IssueCommentEvent extends EventOrigin {
  action: string;
  commentId: number;
  body: string;
  authorLogin: string;
  authorType: string;
  issueNumber: number;
  isPullRequest: boolean;
}

export interface InstallationEvent {
  action: string;
  installationId: number;
  /** `owner/name` of the repositories added (installation.created: all listed repositories). */
  repositories: string[];
}

type Json = Record<string, unknown>;

function object(value: unknown): Json | null {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : null;
}

function string(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function positiveNumber(value: unknown): number | null {
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0 ? value : null;
}

const SHA = /^[0-9a-f]{40}$/i;

/** The numbers in a `pull_requests` array of a workflow run or check suite; malformed entries are skipped. */
function pullRequestNumbersOf(value: unknown): number[] {
  if (!Array.isArray(value)) return [];
  return value
    .map((pull) => positiveNumber(object(pull)?.number))
    .filter((number): number is number => number !== null);
}

function origin(payload: unknown): EventOrigin | null {
  const root = object(payload);
  const repository = object(root?.repository);
  const owner = object(repository?.owner);
  const sender = object(root?.sender);
  const fullName = string(repository?.full_name);
  const name = string(repository?.name);
  const ownerLogin = string(owner?.login) ?? fullName?.split("/")[0] ?? null;
  const senderLogin = string(sender?.login);
  if (!fullName || !name || !ownerLogin || senderLogin === null) return null;
  return {
    repository: {
      owner: ownerLogin,
      repo: name,
      fullName,
      defaultBranch: string(repository?.default_branch) ?? "main",
    },
    installationId: positiveNumber(object(root?.installation)?.id),
    senderLogin,
    senderType: string(sender?.type) ?? "User",
  };
}

export function readWorkflowRunEvent(payload: unknown): WorkflowRunEvent | null {
  const base = origin(payload);
  const root = object(payload);
  const run = object(root?.workflow_run);
  const action = string(root?.action);
  if (!base || !run || !action) return null;
  const runId = positiveNumber(run.id);
  const headSha = string(run.head_sha);
  if (!runId || !headSha || !SHA.test(headSha)) return null;
  const workflow = object(root?.workflow);
  const headRepository = string(object(run.head_repository)?.full_name);
  const actor = object(run.triggering_actor) ?? object(run.actor);
  const pulls = Array.isArray(run.pull_requests) ? run.pull_requests : [];
  return {
    ...base,
    action,
    runId,
    runUrl: string(run.html_url) ?? "",
    workflowName: string(run.name) || string(workflow?.name) || "",
    workflowPath: string(run.path) ?? string(workflow?.path) ?? "",
    displayTitle: string(run.display_title) ?? "",
    headSha: headSha.toLowerCase(),
    headBranch: string(run.head_branch),
    conclusion: string(run.conclusion),
    fromFork:
      headRepository !== null && headRepository.toLowerCase() !== base.repository.fullName.toLowerCase(),
    headRepository,
    triggerEvent: string(run.event),
    actorLogin: string(actor?.login),
    pullRequests: pulls
      .map((pull) => positiveNumber(object(pull)?.number))
      .filter((number): number is number => number !== null),
    pullRequestNumbers: pullRequestNumbersOf(run.pull_requests),
  };
}

export function readCheckSuiteEvent(payload: unknown): CheckSuiteEvent | null {
  const base = origin(payload);
  const root = object(payload);
  const suite = object(root?.check_suite);
  const action = string(root?.action);
  if (!base || !suite || !action) return null;
  const suiteId = positiveNumber(suite.id);
  const headSha = string(suite.head_sha);
  if (!suiteId || !headSha || !SHA.test(headSha)) return null;
  const pulls = Array.isArray(suite.pull_requests) ? suite.pull_requests.map(object) : [];
  const fromFork = pulls.some((pull) => {
    const headRepo = positiveNumber(object(object(pull?.head)?.repo)?.id);
    const baseRepo = positiveNumber(object(object(pull?.base)?.repo)?.id);
    return headRepo !== null && baseRepo !== null && headRepo !== baseRepo;
  });
  return {
    ...base,
    action,
    suiteId,
    appSlug: string(object(suite.app)?.slug) ?? "",
    headSha: headSha.toLowerCase(),
    headBranch: string(suite.head_branch),
    conclusion: string(suite.conclusion),
    fromFork,
    pullRequestNumbers: pullRequestNumbersOf(suite.pull_requests),
  };
}

export function readIssueCommentEvent(payload: unknown): IssueCommentEvent | null {
  const base = origin(payload);
  const root = object(payload);
  const comment = object(root?.comment);
  const issue = object(root?.issue);
  const action = string(root?.action);
  if (!base || !comment || !issue || !action) return null;
  const commentId = positiveNumber(comment.id);
  const issueNumber = positiveNumber(issue.number);
  const author = object(comment.user);
  const authorLogin = string(author?.login);
  if (!commentId || !issueNumber || !authorLogin) return null;
  return {
    ...base,
    action,
    commentId,
    body: string(comment.body) ?? "",
    authorLogin,
    authorType: string(author?.type) ?? "User",
    issueNumber,
    isPullRequest: object(issue.pull_request) !== null,
  };
}

/** `installation.created` and `installation_repositories.added`; null for other actions or malformed payloads. */
export function readInstallationEvent(payload: unknown): InstallationEvent | null {
  const root = object(payload);
  const action = string(root?.action);
  const installationId = positiveNumber(object(root?.installation)?.id);
  if (!action || !installationId) return null;
  const list =
    action === "created" ? root?.repositories : action === "added" ? root?.repositories_added : null;
  if (!Array.isArray(list)) return null;
  const repositories = list
    .map((entry) => string(object(entry)?.full_name))
    .filter((name): name is string => name !== null && /^[^/\s]+\/[^/\s]+$/.test(name));
  return { action, installationId, repositories };
}
