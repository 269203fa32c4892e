// The collaborators every App handler receives: stores, logger, clock, the App's identity, the workflow template, settings read.
import type { Logger } from "../observability/logger.js";
import type { DeliveryStore } from "../store/deliveries.js";
import type { RepairDispatchStore } from "../store/repair-dispatches.js";
import type { RepairRequestStore } from "../store/repair-requests.js";
import type { RepositoryControlStore } from "../store/repository-controls.js";
import type { AppStateStore } from "./app-state-store.js";
import type { RepositoryConfigCache } from "./repository-config.js";

export interface AppDependencies {
  requests: RepairRequestStore;
  deliveries: DeliveryStore;
  appState: AppStateStore;
  /** The App's own record of each dispatched repair run (failing commit, branch, PR, bound run). */
  dispatches: RepairDispatchStore;
  /** Off switches: pauses, refusals, pull requests opened per installation. */
  controls: RepositoryControlStore;
  /** The per-installation hourly cap on opened pull requests (RFSN_MAX_PULL_REQUESTS_PER_HOUR). */
  maxPullRequestsPerHour: number;
  logger: Logger;
  now: () => number;
  /** The App's slug; its bot account is `<slug>[bot]`. */
  appSlug: () => string;
  /** Text of `.github/workflows/rfsn.yml` proposed by the onboarding pull request. */
  workflowTemplate: string;
  /** `.github/rfsn.yml` as read at commits; without it every event reads the file. */
  repositoryConfigs?: RepositoryConfigCache;
}
