// Decides whether a workflow run is the repair run the App dispatched, from the App's own record only (pure).
import type { RepairDispatch } from "../store/repair-dispatches.js";
import { isOwnSender } from "./policy.js";

export interface ObservedRun {
  /** `owner/name` of the repository the event came from. */
  repository: string;
  runId: number;
  workflowPath: string;
  headBranch: string | null;
  triggerEvent: string | null;
  actorLogin: string | null;
}

export type RunIdentity = { ok: true } | { ok: false; reason: string };

/**
 * The run must be in the dispatch's repository, run `.github/workflows/rfsn.yml` from the branch it was dispatched on,
 * have been started by `workflow_dispatch` from the App's bot account (when the event says so), and be the run bound
 * to the request (or the first to present itself). The run's head sha is never compared: for `workflow_dispatch`
 * GitHub sets it to the dispatched branch's tip, and the failing commit comes from the dispatch record.
 */
export function checkRepairRun(dispatch: RepairDispatch, run: ObservedRun, appSlug: string): RunIdentity {
  if (dispatch.repo.toLowerCase() !== run.repository.toLowerCase())
    return { ok: false, reason: `the request belongs to ${dispatch.repo}, the run to ${run.repository}` };
  if (run.workflowPath !== dispatch.workflowPath)
    return {
      ok: false,
      reason: `run ${run.runId} runs ${run.workflowPath || "an unknown workflow"}, not ${dispatch.workflowPath}`,
    };
  if (run.headBranch !== dispatch.dispatchRef)
    return {
      ok: false,
      reason: `run ${run.runId} ran on ${run.headBranch ?? "no branch"}, the App dispatched on ${dispatch.dispatchRef}`,
    };
  if (run.triggerEvent !== null && run.triggerEvent !== "workflow_dispatch")
    return {
      ok: false,
      reason: `run ${run.runId} was started by ${run.triggerEvent}, not workflow_dispatch`,
    };
  if (run.actorLogin !== null && !isOwnSender(run.actorLogin, appSlug))
    return { ok: false, reason: `run ${run.runId} was started by ${run.actorLogin}, not ${appSlug}[bot]` };
  if (dispatch.runId !== null && dispatch.runId !== run.runId)
    return {
      ok: false,
      reason: `the request is bound to run ${dispatch.runId}; run ${run.runId} claims it too`,
    };
  return { ok: true };
}
