// Moves the "RFSN repair" check run along with the repair workflow's own runs: queued → in progress → completed.
import type { Octokit } from "@octokit/rest";
import { type CheckRunConclusion, updateCheckRun } from "../github/check-runs.js";
import type { RepairStatus } from "../store/repair-requests.js";
import type { AppDependencies } from "./app-dependencies.js";
import type { Decision } from "./policy.js";
import { updateRequestComment } from "./request-comment-updates.js";
import type { WorkflowRunEvent } from "./webhook-payloads.js";

const TITLE = /^RFSN repair (\S+)\s*$/;

/** The request id in a repair run's title (`run-name: "RFSN repair <request-id>"`); null for other runs. */
export function requestIdFromRunTitle(displayTitle: string): string | null {
  return TITLE.exec(displayTitle)?.[1] ?? null;
}

/** The repair check run's conclusion for a finished repair workflow run. */
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

const FINISHED: readonly RepairStatus[] = ["completed", "failed", "cancelled"];

export async function followRepairRun(
  octokit: Octokit,
  deps: AppDependencies,
  event: WorkflowRunEvent,
): Promise<{ decision: Decision; reason: string }> {
  const requestId = requestIdFromRunTitle(event.displayTitle);
  const request = requestId ? deps.requests.get(requestId) : undefined;
  if (!request || request.repo.toLowerCase() !== event.repository.fullName.toLowerCase()) {
    return {
      decision: "ignored_event",
      reason: `repair run ${event.runId} matches no request of this repository`,
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
    const outcome = repairConclusion(event.conclusion);
    if (request.status !== "cancelled")
      deps.requests.updateStatus(
        request.id,
        outcome.status,
        `workflow run ${event.runId}: ${event.conclusion ?? "unknown"}`,
      );
    if (request.checkRunId) {
      await updateCheckRun(octokit, {
        owner,
        repo,
        checkRunId: request.checkRunId,
        conclusion: request.status === "cancelled" ? "cancelled" : outcome.conclusion,
        ...(event.runUrl ? { detailsUrl: event.runUrl } : {}),
        output: {
          title: outcome.title,
          summary: `RFSN request \`${request.id}\`: ${link} finished with \`${event.conclusion ?? "unknown"}\`.`,
        },
      });
    }
    return { decision: "lifecycle", reason: `request ${request.id} ${outcome.status}` };
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
        output: { title: "Repair running", summary: `RFSN request \`${request.id}\` is running in ${link}.` },
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
