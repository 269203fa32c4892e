// Records a repair the App refused to start (off switch or limit): in SQLite for `/rfsn status`, in the metrics, in the log.
import { metrics } from "../observability/metrics.js";
import type { RepairRefusal } from "../store/repository-controls.js";
import type { AppDependencies } from "./app-dependencies.js";
import type { RefusalReason } from "./policy.js";

export interface RefusalFacts {
  repo: string;
  issueNumber: number | null;
  headSha: string;
  trigger: string;
  reason: RefusalReason;
  detail: string;
}

export function recordRefusal(
  deps: Pick<AppDependencies, "controls" | "logger">,
  facts: RefusalFacts,
): RepairRefusal {
  metrics.appRefusals.inc({ reason: facts.reason });
  deps.logger.info(
    { repository: facts.repo, issue: facts.issueNumber, reason: facts.reason, detail: facts.detail },
    "repair refused",
  );
  return deps.controls.recordRefusal(facts);
}

const ONE_HOUR_MS = 60 * 60 * 1000;

/** Pull requests RFSN opened for the installation in the last hour (0 when the event names no installation). */
export function pullRequestsLastHour(
  deps: Pick<AppDependencies, "controls" | "now">,
  installationId: number | null,
): number {
  return installationId === null
    ? 0
    : deps.controls.pullRequestsOpenedSince(installationId, deps.now() - ONE_HOUR_MS);
}

/**
 * For the publisher: records a pull request RFSN just opened, so the installation's hourly cap counts it. Call it
 * once per opened pull request (a second call for the same number is ignored).
 */
export function recordOpenedPullRequest(
  deps: Pick<AppDependencies, "controls">,
  installationId: number,
  repo: string,
  number: number,
): void {
  deps.controls.recordOpenedPullRequest(installationId, repo, number);
}
