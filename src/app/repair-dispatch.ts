// Turns an approved repair into a dispatched workflow: dedupe (SQLite, then the check run external_id), check run, dispatch.
import type { Octokit } from "@octokit/rest";
import type { RfsnConfig } from "../core/config/schema.js";
import { createRepairCheckRun, findCheckRunByExternalId, updateCheckRun } from "../github/check-runs.js";
import { dispatchRepairWorkflow, WorkflowMissingError } from "../github/dispatch.js";
import { metrics } from "../observability/metrics.js";
import { withSpan } from "../observability/tracing.js";
import type { CommentTarget, RepairRequest, RepairTrigger } from "../store/repair-requests.js";
import type { AppDependencies } from "./app-dependencies.js";
import { ensureOnboarding } from "./onboarding.js";
import { checkLimits, type Decision, REPAIR_WORKFLOW_PATH, requestDedupeKey } from "./policy.js";
import type { RepositoryInfo } from "./webhook-payloads.js";

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RepairPlan {
  repository: RepositoryInfo;
  headSha: string;
  trigger: RepairTrigger;
  config: RfsnConfig;
  /** Branch the fix pull request targets (the failing branch, or the pull request's head branch). */
  baseBranch: string;
  failedRunId: number | null;
  commentTarget: CommentTarget | null;
  requestedBy: string | null;
  testCommand: string | null;
  maxIterations: number | null;
  /** false sends `llm: off` (`--no-llm`); true lets `.github/rfsn.yml` decide. */
  llm: boolean;
  /** The pull request whose head failed, when known. */
  pullRequest?: number | null;
  /** The branch that failed (defaults to `baseBranch`; a fork's branch lives in `fork.repository`). */
  failingBranch?: string;
  /** Set when the failing commit is a fork's pull request head: the fork and whether maintainers may push to it. */
  fork?: { repository: string; maintainerCanModify: boolean } | null;
}

export interface RepairStart {
  decision: Decision;
  reason: string;
  request: RepairRequest | null;
  onboardingUrl?: string | null;
}

/** The workflow_dispatch inputs of `.github/workflows/rfsn.yml` (all strings; "" means "use the default"). */
export function dispatchInputs(plan: RepairPlan, requestId: string): Record<string, string> {
  return {
    ref: plan.failingBranch ?? plan.baseBranch,
    "failing-commit": plan.headSha,
    "failed-run-id": plan.failedRunId ? String(plan.failedRunId) : "",
    trigger: plan.trigger,
    "request-id": requestId,
    "comment-target": plan.commentTarget ? String(plan.commentTarget.issueNumber) : "",
    "base-branch": plan.baseBranch,
    "test-command": plan.testCommand ?? "",
    "max-iterations": plan.maxIterations ? String(plan.maxIterations) : "",
    llm: plan.llm ? "on" : "off",
    // The App publishes (installation token, git data API); the workflow's own publish job stays off.
    publisher: "app",
  };
}

export async function startRepair(
  octokit: Octokit,
  deps: AppDependencies,
  plan: RepairPlan,
): Promise<RepairStart> {
  const { owner, repo, fullName } = plan.repository;
  const dedupeKey = requestDedupeKey({
    repository: fullName,
    headSha: plan.headSha,
    trigger: plan.trigger,
    commentId: plan.commentTarget?.commentId ?? null,
  });
  const known = deps.requests.findByDedupeKey(dedupeKey);
  if (known)
    return {
      decision: "duplicate",
      reason: `request ${known.id} already exists for ${dedupeKey}`,
      request: known,
    };

  const limits = checkLimits(plan.config, {
    attemptsForHead: deps.requests.countForHeadSha(fullName, plan.headSha),
    runsLast24Hours: deps.requests.countSince(fullName, deps.now() - DAY_MS),
  });
  if (!limits.act) return { decision: limits.decision, reason: limits.reason, request: null };

  const { created, request } = deps.requests.createIfAbsent({
    repo: fullName,
    headSha: plan.headSha,
    trigger: plan.trigger,
    dedupeKey,
    commentTarget: plan.commentTarget,
    requestedBy: plan.requestedBy,
  });
  if (!created)
    return { decision: "duplicate", reason: `request ${request.id} was created concurrently`, request };

  // Another replica with its own database may have taken this request: GitHub holds the external_id.
  const elsewhere = await findCheckRunByExternalId(octokit, {
    owner,
    repo,
    ref: plan.headSha,
    externalId: dedupeKey,
  });
  if (elsewhere) {
    deps.requests.setCheckRunId(request.id, elsewhere.id);
    const updated = deps.requests.updateStatus(
      request.id,
      "dispatched",
      "dispatched by another RFSN replica",
    );
    return {
      decision: "duplicate",
      reason: `check run ${elsewhere.id} already carries ${dedupeKey}`,
      request: updated ?? request,
    };
  }

  const checkRun = await createRepairCheckRun(octokit, {
    owner,
    repo,
    headSha: plan.headSha,
    externalId: dedupeKey,
    title: "Repair queued",
    summary: `RFSN request \`${request.id}\` (${plan.trigger}) asked this repository's runner to reproduce and repair the failure.`,
  });
  deps.requests.setCheckRunId(request.id, checkRun.id);
  // The trusted record the App later checks the run and its artifact against; written before the run can exist.
  deps.dispatches.record({
    requestId: request.id,
    repo: fullName,
    failingCommit: plan.headSha,
    branch: plan.failingBranch ?? plan.baseBranch,
    pullRequest: plan.pullRequest ?? null,
    headRepo: plan.fork?.repository ?? null,
    maintainerCanModify: plan.fork ? plan.fork.maintainerCanModify : null,
    baseBranch: plan.baseBranch,
    workflowPath: REPAIR_WORKFLOW_PATH,
    dispatchRef: plan.repository.defaultBranch,
  });

  try {
    const run = await withSpan(
      "rfsn.dispatch",
      { repository: `${owner}/${repo}`, trigger: plan.trigger },
      () =>
        dispatchRepairWorkflow(octokit, {
          owner,
          repo,
          ref: plan.repository.defaultBranch,
          inputs: dispatchInputs(plan, request.id),
          returnRunDetails: true,
        }),
    );
    // GitHub named the run it started: bound now, no other run can claim the request, and the relay knows it at once.
    if (run.runId !== null) deps.dispatches.bindRun(request.id, run.runId, run.runUrl);
  } catch (error) {
    metrics.appDispatches.inc({ status: "error" });
    const missing = error instanceof WorkflowMissingError;
    const message = error instanceof Error ? error.message : String(error);
    deps.requests.updateStatus(
      request.id,
      "failed",
      missing ? "the repository has no RFSN workflow" : `dispatch failed: ${message}`,
    );
    let onboardingUrl: string | null = null;
    if (missing) {
      const onboarding = await ensureOnboarding(octokit, deps, plan.repository, { knownMissing: true });
      onboardingUrl = onboarding.kind === "opened" || onboarding.kind === "already" ? onboarding.url : null;
    }
    const summary = missing
      ? `This repository has no \`.github/workflows/rfsn.yml\`, so RFSN cannot run a repair.${onboardingUrl ? ` Merge the onboarding pull request ${onboardingUrl} to enable repairs.` : ""}`
      : `RFSN could not start the repair workflow: ${message}`;
    await updateCheckRun(octokit, {
      owner,
      repo,
      checkRunId: checkRun.id,
      conclusion: missing ? "action_required" : "neutral",
      ...(onboardingUrl ? { detailsUrl: onboardingUrl } : {}),
      output: { title: missing ? "RFSN workflow missing" : "Repair could not start", summary },
    });
    if (missing)
      return {
        decision: "onboarding",
        reason: summary,
        request: deps.requests.get(request.id) ?? request,
        onboardingUrl,
      };
    throw error;
  }
  metrics.appDispatches.inc({ status: "ok" });
  const dispatched = deps.requests.updateStatus(request.id, "dispatched");
  return {
    decision: "dispatched",
    reason: `dispatched request ${request.id}`,
    request: dispatched ?? request,
  };
}
