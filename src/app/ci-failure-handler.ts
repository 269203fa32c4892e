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
