// On startup, fails requests a crash left `accepted` (never dispatched) and closes their check runs with a note.
import type { Octokit } from "@octokit/rest";
import { updateCheckRun } from "../github/check-runs.js";
import type { Logger } from "../observability/logger.js";
import type { RepairRequest, RepairRequestStore } from "../store/repair-requests.js";

export interface RecoveryOptions {
  requests: RepairRequestStore;
  staleAfterMs: number;
  /** When webhooks were cut off mid-processing: requests still `accepted` since then are failed whatever their age. */
  interruptedSince?: number | null;
  logger: Logger;
  /** An installation Octokit for `owner/name`. */
  octokitFor: (repo: string) => Promise<Octokit>;
}

export const RECOVERY_NOTE =
  "RFSN restarted before this request was dispatched; comment `/rfsn fix` to try again";

/** Returns the requests it marked failed. Never dispatches: a redelivery of the same event stays a duplicate. */
export async function recoverStaleRequests(options: RecoveryOptions): Promise<RepairRequest[]> {
  const stale = options.requests.findStale("accepted", options.staleAfterMs);
  const since = options.interruptedSince;
  if (since !== null && since !== undefined) {
    const known = new Set(stale.map((request) => request.id));
    for (const request of options.requests.findStale("accepted", 0)) {
      if (request.updatedAt >= since && !known.has(request.id)) stale.push(request);
    }
  }
  const recovered: RepairRequest[] = [];
  for (const request of stale) {
    const updated = options.requests.updateStatus(request.id, "failed", RECOVERY_NOTE);
    if (updated) recovered.push(updated);
    if (request.checkRunId === null) continue;
    try {
      const [owner = "", repo = ""] = request.repo.split("/");
      const octokit = await options.octokitFor(request.repo);
      await updateCheckRun(octokit, {
        owner,
        repo,
        checkRunId: request.checkRunId,
        conclusion: "cancelled",
        output: { title: "Repair not started", summary: `${RECOVERY_NOTE}.` },
      });
    } catch (error) {
      options.logger.warn(
        { err: error, requestId: request.id },
        "could not close the check run of a stale request",
      );
    }
  }
  if (recovered.length > 0)
    options.logger.warn({ count: recovered.length }, "marked stale accepted requests as failed");
  return recovered;
}
