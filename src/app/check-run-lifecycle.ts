// Moves the "RFSN repair" check run along with the repair run the App dispatched: queued → phase → the outcome's truth.
import type { Octokit } from "@octokit/rest";
import type { RepairReport } from "../core/report.js";
import { type CheckRunConclusion, updateCheckRun } from "../github/check-runs.js";
import type { RepairDispatch } from "../store/repair-dispatches.js";
import type { RepairRequest, RepairStatus } from "../store/repair-requests.js";
import type { AppDependencies } from "./app-dependencies.js";
import type { Decision } from "./policy.js";
import { postSummaryComment, publishFinishedRun, type RunPublication } from "./repair-publication.js";
import { checkRepairRun } from "./repair-run-identity.js";
import { updateRequestComment } from "./request-comment-updates.js";
import type { WorkflowRunEvent } from "./webhook-payloads.js";

const TITLE = /^RFSN repair (\S+)\s*$/;

/** The request id in a repair run's title (`run-name: "RFSN repair <request-id>"`); null for other runs. */
export function requestIdFromRunTitle(displayTitle: string): string | null {
  return TITLE.exec(displayTitle)?.[1] ?? null;
}

/** The repair check run's conclusion for a finished repair workflow run judged by the run's conclusion alone. */
export function repairConclusion(runConclusion: string | null): {
  conclusion: CheckRunConclusion;
  status: RepairStatus;
  title: string;
} {
  switch (runConclusion) {
    case "success":
      return { conclusion: "success", status: "completed", title: "Repair finished" };
    case "cancelled":
      return { conclusion: "cancelled", status: "cancelled", title: "Repair cancelled" };
    case "timed_out":
      return { conclusion: "timed_out", status: "failed", title: "Repair timed out" };
    default:
      // A failed repair is information, not a broken build: keep the pull request mergeable.
      return {
        conclusion: "neutral",
        status: "failed",
        title: `Repair ended: ${runConclusion ?? "unknown"}`,
      };
  }
}

export interface CheckVerdict {
  conclusion: CheckRunConclusion;
  status: RepairStatus;
  title: string;
  summary: string;
  detailsUrl?: string;
}

function listed(items: string[], limit: number): string {
  const shown = items.slice(0, limit).map((item) => `- ${item}`);
  if (items.length > limit) shown.push(`- … and ${items.length - limit} more`);
  return shown.join("\n");
}

function whatWasTried(report: RepairReport): string {
  const counts = report.candidates;
  const lines = [
    `${counts.generated} candidate patch(es) generated, ${counts.tried} validated against the tests, ${counts.plausible} plausible, in ${report.iterations} iteration(s).`,
  ];
  const attempts = report.attempts.map(
    (attempt) => `${attempt.operator}${attempt.file ? ` in \`${attempt.file}\`` : ""}: ${attempt.verdict}`,
  );
  if (attempts.length > 0) lines.push("", "What was tried:", listed(attempts, 15));
  return lines.join("\n");
}

/**
 * What the check run says once the App has read the run's artifact (#22): fixed → success linking the fix, not_fixed
 * and flaky → neutral with what was tried or the flaky tests, cannot_run → failure with the reason, a patch the
 * publisher refused → neutral with the reason, a run that left no readable artifact → failure.
 */
export function verdictFor(publication: RunPublication, runConclusion: string | null): CheckVerdict {
  switch (publication.kind) {
    case "artifact_rejected":
      return {
        conclusion: "failure",
        status: "failed",
        title: runConclusion === "success" ? "Repair result refused" : "Repair run failed without a result",
        summary: `The repair run finished with \`${runConclusion ?? "unknown"}\`. RFSN published nothing: ${publication.reason}.`,
      };
    case "published":
      return {
        conclusion: "success",
        status: "completed",
        title: "Fixed",
        summary:
          publication.where === "fork_branch"
            ? `RFSN pushed the fix ${publication.commit.slice(0, 7)} to the pull request's branch: ${publication.url}`
            : `RFSN opened ${publication.url} with the fix (commit ${publication.commit.slice(0, 7)}).`,
        detailsUrl: publication.url,
      };
    case "patch_rejected":
      return {
        conclusion: "neutral",
        status: "failed",
        title: "Patch refused by the publisher",
        summary: `The repair run found a patch, but the publisher checked it again against the failing commit and refused it: ${publication.reason}. Nothing was committed.`,
      };
    case "publish_failed":
      return {
        conclusion: "failure",
        status: "failed",
        title: "Fix could not be published",
        summary: `The patch passed every check but could not be published: ${publication.reason}.`,
      };
    case "report":
      return reportVerdict(publication.report);
  }
}

function reportVerdict(report: RepairReport): CheckVerdict {
  switch (report.outcome) {
    case "not_fixed":
      return {
        conclusion: "neutral",
        status: "completed",
        title: "No fix found",
        summary: `${report.outcomeReason}\n\n${whatWasTried(report)}`,
      };
    case "flaky": {
      const names = report.baseline.failing.map((test) => `\`${test.name}\``);
      return {
        conclusion: "neutral",
        status: "completed",
        title: "Flaky tests, nothing to fix",
        summary: `${report.outcomeReason}\n\nFlaky tests:\n${names.length ? listed(names, 20) : "- (none named by the runner)"}`,
      };
    }
    case "cannot_run":
      return {
        conclusion: "failure",
        status: "failed",
        title: "Repair could not run",
        summary: report.outcomeReason,
      };
    case "no_failure":
      return {
        conclusion: "neutral",
        status: "completed",
        title: "The failure did not reproduce",
        summary: report.outcomeReason,
      };
    case "fixed":
      return {
        conclusion: "neutral",
        status: "completed",
        title: "Fix found, not published",
        summary: report.outcomeReason,
      };
  }
}

/** The check run's title while the run is going: the phase the repair job last reported, when it did. */
export function runningTitle(phase: string | null): string {
  return phase ? `Repair running: ${phase}` : "Repair running";
}

const FINISHED: readonly RepairStatus[] = ["completed", "failed", "cancelled"];

async function concludeFinishedRun(
  octokit: Octokit,
  deps: AppDependencies,
  request: RepairRequest,
  dispatch: RepairDispatch,
  event: WorkflowRunEvent,
): Promise<CheckVerdict> {
  const publication = await publishFinishedRun(
    octokit,
    deps,
    request,
    dispatch,
    event.runId,
    event.conclusion,
  );
  await postSummaryComment(octokit, deps, request, dispatch, publication, event.installationId);
  return verdictFor(publication, event.conclusion);
}

export async function followRepairRun(
  octokit: Octokit,
  deps: AppDependencies,
  event: WorkflowRunEvent,
): Promise<{ decision: Decision; reason: string }> {
  const requestId = requestIdFromRunTitle(event.displayTitle);
  const request = requestId ? deps.requests.get(requestId) : undefined;
  const dispatch = requestId ? deps.dispatches.get(requestId) : undefined;
  if (!request || !dispatch || request.repo.toLowerCase() !== event.repository.fullName.toLowerCase()) {
    return {
      decision: "ignored_event",
      reason: `repair run ${event.runId} matches no request of this repository`,
    };
  }
  const identity = checkRepairRun(
    dispatch,
    {
      repository: event.repository.fullName,
      runId: event.runId,
      workflowPath: event.workflowPath,
      headBranch: event.headBranch,
      triggerEvent: event.triggerEvent,
      actorLogin: event.actorLogin,
    },
    deps.appSlug(),
  );
  if (!identity.ok || !deps.dispatches.bindRun(request.id, event.runId, event.runUrl || null)) {
    deps.logger.warn(
      {
        requestId: request.id,
        runId: event.runId,
        reason: identity.ok ? "bound to another run" : identity.reason,
      },
      "a workflow run claims a repair request it does not belong to",
    );
    return {
      decision: "ignored_event",
      reason: `run ${event.runId} is not the run dispatched for request ${request.id}: ${identity.ok ? "the request is bound to another run" : identity.reason}`,
    };
  }
  deps.appState.recordRun(request.id, event.runId, event.runUrl);
  if (FINISHED.includes(request.status) && event.action !== "completed") {
    return { decision: "lifecycle", reason: `request ${request.id} is already ${request.status}` };
  }
  const { owner, repo } = event.repository;
  const link = event.runUrl
    ? `[workflow run ${event.runId}](${event.runUrl})`
    : `workflow run ${event.runId}`;
  if (event.action === "completed") {
    deps.dispatches.markFinished(request.id);
    if (!deps.dispatches.claimPublication(request.id))
      return {
        decision: "duplicate",
        reason: `run ${event.runId} of request ${request.id} was already concluded`,
      };
    const cancelled = request.status === "cancelled" || event.conclusion === "cancelled";
    const verdict: CheckVerdict = cancelled
      ? {
          conclusion: "cancelled",
          status: "cancelled",
          title: "Repair cancelled",
          summary: `RFSN request \`${request.id}\`: ${link} was cancelled; nothing was published.`,
        }
      : await concludeFinishedRun(octokit, deps, request, dispatch, event).catch((error: unknown) => {
          // GitHub or the network failed mid-way: nothing is recorded as done, so a redelivery tries again.
          deps.dispatches.releasePublication(request.id);
          throw error;
        });
    deps.dispatches.recordPublication(request.id, {
      state: "done",
      conclusion: verdict.conclusion,
      title: verdict.title,
      ...(verdict.detailsUrl ? { url: verdict.detailsUrl } : {}),
    });
    if (request.status !== "cancelled")
      deps.requests.updateStatus(
        request.id,
        verdict.status,
        `${verdict.title} (workflow run ${event.runId})`,
      );
    if (request.checkRunId) {
      await updateCheckRun(octokit, {
        owner,
        repo,
        checkRunId: request.checkRunId,
        conclusion: verdict.conclusion,
        ...(verdict.detailsUrl
          ? { detailsUrl: verdict.detailsUrl }
          : event.runUrl
            ? { detailsUrl: event.runUrl }
            : {}),
        output: {
          title: verdict.title,
          summary: `${verdict.summary}\n\nRFSN request \`${request.id}\`, ${link}.`,
        },
      });
    }
    return { decision: "lifecycle", reason: `request ${request.id} ${verdict.status}: ${verdict.title}` };
  }
  if (event.action === "requested" || event.action === "in_progress") {
    deps.requests.updateStatus(request.id, "running", `workflow run ${event.runId}`);
    if (request.checkRunId) {
      await updateCheckRun(octokit, {
        owner,
        repo,
        checkRunId: request.checkRunId,
        status: "in_progress",
        ...(event.runUrl ? { detailsUrl: event.runUrl } : {}),
        output: {
          title: runningTitle(dispatch.phase),
          summary: `RFSN request \`${request.id}\` is running in ${link}.`,
        },
      });
    }
    if (request.status !== "running")
      await updateRequestComment(octokit, deps, event.repository, request, {
        kind: "running",
        requestId: request.id,
        commit: request.headSha,
        runUrl: event.runUrl || null,
      });
    return { decision: "lifecycle", reason: `request ${request.id} running` };
  }
  return { decision: "ignored_event", reason: `workflow_run.${event.action} does not change a repair` };
}
