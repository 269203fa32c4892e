// Handles failing CI (`workflow_run.completed`, `check_suite.completed` of non-Actions CI): policy, config, then repair.
import type { Octokit } from "@octokit/rest";
import type { ConfigError } from "../core/config/parse.js";
import { createRepairCheckRun, findCheckRunByExternalId, updateCheckRun } from "../github/check-runs.js";
import type { AppDependencies } from "./app-dependencies.js";
import { followRepairRun } from "./check-run-lifecycle.js";
import {
  type CiFailureFacts,
  checkOffSwitches,
  configAllowsCiFailure,
  type Decision,
  isRepairWorkflow,
  screenCiFailure,
} from "./policy.js";
import { pullRequestsLastHour, recordRefusal } from "./refusals.js";
import { startRepair } from "./repair-dispatch.js";
import { configAt, describeConfigError } from "./repository-config.js";
import { updateRequestComment } from "./request-comment-updates.js";
import type { CheckSuiteEvent, RepositoryInfo, WorkflowRunEvent } from "./webhook-payloads.js";

export interface HandlerOutcome {
  decision: Decision;
  reason: string;
}

const ACTIONS_APP_SLUG = "github-actions";

export async function handleWorkflowRun(
  octokit: Octokit,
  deps: AppDependencies,
  event: WorkflowRunEvent,
): Promise<HandlerOutcome> {
  if (isRepairWorkflow(event.workflowPath)) return followRepairRun(octokit, deps, event);
  if (event.action !== "completed")
    return { decision: "ignored_event", reason: `workflow_run.${event.action}` };
  if (event.fromFork) return handleForkFailure(octokit, deps, event);
  return handleCiFailure(octokit, deps, event, event.runId, {
    senderLogin: event.senderLogin,
    headBranch: event.headBranch,
    defaultBranch: event.repository.defaultBranch,
    conclusion: event.conclusion,
    fromFork: event.fromFork,
    workflow: { name: event.workflowName, path: event.workflowPath },
  });
}

export async function handleCheckSuite(
  octokit: Octokit,
  deps: AppDependencies,
  event: CheckSuiteEvent,
): Promise<HandlerOutcome> {
  if (event.action !== "completed")
    return { decision: "ignored_event", reason: `check_suite.${event.action}` };
  if (event.appSlug === ACTIONS_APP_SLUG)
    return { decision: "ignored_event", reason: "GitHub Actions suites are handled through workflow_run" };
  if (event.appSlug.toLowerCase() === deps.appSlug().toLowerCase())
    return { decision: "ignored_own", reason: "RFSN's own check suite" };
  if (event.fromFork)
    return {
      decision: "ignored_fork",
      reason: "fork pull requests are repaired from their GitHub Actions runs (workflow_run) only",
    };
  return handleCiFailure(octokit, deps, event, null, {
    senderLogin: event.senderLogin,
    headBranch: event.headBranch,
    defaultBranch: event.repository.defaultBranch,
    conclusion: event.conclusion,
    fromFork: event.fromFork,
  });
}

async function handleCiFailure(
  octokit: Octokit,
  deps: AppDependencies,
  event: Pick<
    WorkflowRunEvent | CheckSuiteEvent,
    "repository" | "headSha" | "installationId" | "pullRequestNumbers"
  >,
  failedRunId: number | null,
  facts: CiFailureFacts,
): Promise<HandlerOutcome> {
  const { repository, headSha } = event;
  const screened = screenCiFailure(facts, deps.appSlug());
  if (!screened.act) return screened;
  const loaded = await configAt(deps.repositoryConfigs, octokit, repository.owner, repository.repo, headSha);
  if (!loaded.ok) {
    await reportBrokenConfig(octokit, repository, headSha, loaded.error);
    return { decision: "config_error", reason: loaded.error.message };
  }
  const allowed = configAllowsCiFailure(facts, loaded.config);
  // An unwatched branch or workflow is not a refusal; `enabled: false` is, and falls through to the off switches.
  if (!allowed.act && loaded.config.enabled) return allowed;
  // A failure on one pull request's head is answered on that pull request (its sticky comment, `/rfsn status` there).
  const pullRequest = event.pullRequestNumbers.length === 1 ? (event.pullRequestNumbers[0] ?? null) : null;
  const switches = checkOffSwitches({
    trigger: "ci-failure",
    config: loaded.config,
    pausedBy: deps.controls.pauseOfRepository(repository.fullName)?.pausedBy ?? null,
    pullRequestsLastHour: pullRequestsLastHour(deps, event.installationId),
    hourlyPullRequestCap: deps.maxPullRequestsPerHour,
  });
  if (!switches.act) {
    recordRefusal(deps, {
      repo: repository.fullName,
      issueNumber: pullRequest,
      headSha,
      trigger: "ci-failure",
      reason: switches.refusal,
      detail: switches.reason,
    });
    return { decision: switches.decision, reason: switches.reason };
  }
  const started = await startRepair(octokit, deps, {
    repository,
    headSha,
    trigger: "ci-failure",
    config: loaded.config,
    baseBranch: facts.headBranch ?? repository.defaultBranch,
    failedRunId,
    commentTarget: pullRequest === null ? null : { issueNumber: pullRequest, commentId: null },
    requestedBy: null,
    testCommand: null,
    maxIterations: null,
    llm: true,
  });
  if (started.decision === "rate_limited" || started.decision === "attempts_exhausted")
    recordRefusal(deps, {
      repo: repository.fullName,
      issueNumber: pullRequest,
      headSha,
      trigger: "ci-failure",
      reason: started.decision,
      detail: started.reason,
    });
  if (started.decision === "dispatched" && started.request)
    await updateRequestComment(octokit, deps, repository, started.request, {
      kind: "queued",
      requestId: started.request.id,
      trigger: "ci-failure",
      commit: headSha,
      requestedBy: null,
    });
  return { decision: started.decision, reason: started.reason };
}

/**
 * A failing run of a fork's pull request (GitHub lists no pull request in such a run's payload): the open pull request
 * whose head is the fork's branch at the failing commit is looked up; its base branch must be watched, and the
 * settings come from the base branch, never from the fork. The repair job runs the fork's commit with no secret; the
 * App publishes to the fork's branch when its author lets maintainers edit, otherwise as a pull request here.
 */
async function handleForkFailure(
  octokit: Octokit,
  deps: AppDependencies,
  event: WorkflowRunEvent,
): Promise<HandlerOutcome> {
  const { repository } = event;
  const facts: CiFailureFacts = {
    senderLogin: event.senderLogin,
    headBranch: event.headBranch,
    defaultBranch: repository.defaultBranch,
    conclusion: event.conclusion,
    fromFork: true,
    workflow: { name: event.workflowName, path: event.workflowPath },
  };
  const screened = screenCiFailure(facts, deps.appSlug());
  if (!screened.act) return screened;
  const forkOwner = (event.headRepository ?? "").split("/")[0] ?? "";
  const pulls = await octokit.rest.pulls.list({
    owner: repository.owner,
    repo: repository.repo,
    state: "open",
    head: `${forkOwner}:${event.headBranch ?? ""}`,
    per_page: 10,
  });
  const listed = pulls.data.find(
    (candidate) =>
      candidate.head.sha.toLowerCase() === event.headSha &&
      candidate.head.repo?.full_name.toLowerCase() === event.headRepository?.toLowerCase(),
  );
  // The list omits "allow edits by maintainers"; the pull request itself has it.
  const pull = listed
    ? (
        await octokit.rest.pulls.get({
          owner: repository.owner,
          repo: repository.repo,
          pull_number: listed.number,
        })
      ).data
    : null;
  if (!pull)
    return {
      decision: "ignored_fork",
      reason: `no open pull request from ${event.headRepository}:${event.headBranch} has ${event.headSha.slice(0, 7)} as its head`,
    };
  const loaded = await configAt(
    deps.repositoryConfigs,
    octokit,
    repository.owner,
    repository.repo,
    pull.base.sha,
  );
  if (!loaded.ok) return { decision: "config_error", reason: loaded.error.message };
  const allowed = configAllowsCiFailure({ ...facts, headBranch: pull.base.ref }, loaded.config);
  if (!allowed.act) return allowed;
  const started = await startRepair(octokit, deps, {
    repository,
    headSha: event.headSha,
    trigger: "ci-failure",
    config: loaded.config,
    baseBranch: pull.base.ref,
    failingBranch: pull.head.ref,
    pullRequest: pull.number,
    fork: {
      repository: event.headRepository ?? "",
      maintainerCanModify: pull.maintainer_can_modify === true,
    },
    failedRunId: event.runId,
    commentTarget: { issueNumber: pull.number, commentId: null },
    requestedBy: null,
    testCommand: null,
    maxIterations: null,
    llm: true,
  });
  return { decision: started.decision, reason: started.reason };
}

/** One completed "RFSN repair" check run per commit pointing at the broken line (found again by external_id). */
export async function reportBrokenConfig(
  octokit: Octokit,
  repository: RepositoryInfo,
  headSha: string,
  error: ConfigError,
): Promise<void> {
  const externalId = `${repository.fullName.toLowerCase()}@${headSha}:config-error`;
  const { owner, repo, fullName } = repository;
  const existing = await findCheckRunByExternalId(octokit, { owner, repo, ref: headSha, externalId });
  if (existing) return;
  const described = describeConfigError(error, fullName, headSha);
  const run = await createRepairCheckRun(octokit, {
    owner,
    repo,
    headSha,
    externalId,
    detailsUrl: described.url,
    title: described.title,
    summary: described.summary,
  });
  await updateCheckRun(octokit, {
    owner,
    repo,
    checkRunId: run.id,
    conclusion: "action_required",
    detailsUrl: described.url,
    output: { title: described.title, summary: described.summary },
  });
}
