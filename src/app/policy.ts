// Decides whether a CI failure or a `/rfsn fix` request may start a repair: loops, forks, watch lists and limits (pure).
import type { RfsnConfig } from "../core/config/schema.js";
import { REPAIR_WORKFLOW_FILE } from "../github/dispatch.js";

/** Bounded decision kinds, also the `result` label of `rfsn_app_decisions_total`. */
export const DECISIONS = [
  "dispatched",
  "duplicate",
  "ignored_event",
  "ignored_own",
  "ignored_branch",
  "ignored_workflow",
  "ignored_conclusion",
  "ignored_disabled",
  "ignored_paused",
  "ignored_fork",
  "refused_permission",
  "refused_fork",
  "rate_limited",
  "attempts_exhausted",
  "config_error",
  "onboarding",
  "replied",
  "cancelled",
  "lifecycle",
  "error",
] as const;
export type Decision = (typeof DECISIONS)[number];

export type PolicyVerdict = { act: true } | { act: false; decision: Decision; reason: string };

const ACT: PolicyVerdict = { act: true };

export const RFSN_BRANCH_PREFIX = "rfsn/";
export const REPAIR_WORKFLOW_PATH = `.github/workflows/${REPAIR_WORKFLOW_FILE}`;

/** `rfsn/fix/…` branches hold RFSN's fix pull requests (a writer's `/rfsn fix` there revises the fix). */
export const RFSN_FIX_BRANCH_PREFIX = "rfsn/fix/";

/** `rfsn/…` branches hold RFSN's own fixes: repairing them would loop. */
export function isRfsnBranch(branch: string | null): boolean {
  return branch?.startsWith(RFSN_BRANCH_PREFIX) ?? false;
}

/** True when the sender is this App's bot account (`<slug>[bot]`). */
export function isOwnSender(senderLogin: string, appSlug: string): boolean {
  return senderLogin.toLowerCase() === `${appSlug.toLowerCase()}[bot]`;
}

/** The RFSN repair workflow itself (its runs drive the check run, they are never repaired). */
export function isRepairWorkflow(workflowPath: string): boolean {
  return workflowPath === REPAIR_WORKFLOW_PATH || workflowPath.startsWith(`${REPAIR_WORKFLOW_PATH}@`);
}

/** Empty `watch.branches` means the default branch only. */
export function branchWatched(config: RfsnConfig, branch: string, defaultBranch: string): boolean {
  return config.watch.branches.length === 0
    ? branch === defaultBranch
    : config.watch.branches.includes(branch);
}

/** Empty `watch.workflows` means every workflow; entries match the workflow name or its file name. */
export function workflowWatched(config: RfsnConfig, name: string, path: string): boolean {
  if (config.watch.workflows.length === 0) return true;
  const file = path.split("/").pop() ?? path;
  return config.watch.workflows.some((entry) => entry === name || entry === file || entry === path);
}

export interface CiFailureFacts {
  senderLogin: string;
  headBranch: string | null;
  defaultBranch: string;
  conclusion: string | null;
  fromFork: boolean;
  /** Present for workflow_run failures (check suites have no workflow). */
  workflow?: { name: string; path: string };
}

/** Checks that need no configuration: loops and forks. */
export function screenCiFailure(facts: CiFailureFacts, appSlug: string): PolicyVerdict {
  if (facts.conclusion !== "failure")
    return {
      act: false,
      decision: "ignored_conclusion",
      reason: `conclusion is ${facts.conclusion ?? "none"}, not failure`,
    };
  if (isOwnSender(facts.senderLogin, appSlug))
    return { act: false, decision: "ignored_own", reason: "caused by RFSN itself" };
  if (facts.workflow && isRepairWorkflow(facts.workflow.path))
    return { act: false, decision: "ignored_own", reason: "the RFSN repair workflow itself" };
  if (facts.headBranch === null)
    return { act: false, decision: "ignored_branch", reason: "the run has no branch" };
  if (isRfsnBranch(facts.headBranch))
    return { act: false, decision: "ignored_own", reason: `${facts.headBranch} is an RFSN branch` };
  // A fork's failure passes: its repair job runs the fork's code with no secret and the App publishes (SECURITY.md).
  return ACT;
}

/** Checks against the repository's `.github/rfsn.yml`. */
export function configAllowsCiFailure(facts: CiFailureFacts, config: RfsnConfig): PolicyVerdict {
  if (!config.enabled)
    return { act: false, decision: "ignored_disabled", reason: "RFSN is disabled in .github/rfsn.yml" };
  if (!config.autoRepair)
    return { act: false, decision: "ignored_disabled", reason: "auto_repair is off in .github/rfsn.yml" };
  const branch = facts.headBranch ?? "";
  if (!branchWatched(config, branch, facts.defaultBranch)) {
    return { act: false, decision: "ignored_branch", reason: `branch ${branch} is not watched` };
  }
  if (facts.workflow && !workflowWatched(config, facts.workflow.name, facts.workflow.path)) {
    return {
      act: false,
      decision: "ignored_workflow",
      reason: `workflow ${facts.workflow.name || facts.workflow.path} is not watched`,
    };
  }
  return ACT;
}

export interface UsageCounts {
  /** Requests already made for this head commit. */
  attemptsForHead: number;
  /** Requests the repository made in the last 24 hours. */
  runsLast24Hours: number;
}

/** `limits.attempts_per_commit` and `limits.runs_per_day`. */
export function checkLimits(config: RfsnConfig, counts: UsageCounts): PolicyVerdict {
  if (counts.attemptsForHead >= config.limits.attemptsPerCommit) {
    return {
      act: false,
      decision: "attempts_exhausted",
      reason: `this commit already had ${counts.attemptsForHead} repair attempt(s); limits.attempts_per_commit is ${config.limits.attemptsPerCommit}`,
    };
  }
  if (counts.runsLast24Hours >= config.limits.runsPerDay) {
    return {
      act: false,
      decision: "rate_limited",
      reason: `this repository already had ${counts.runsLast24Hours} repair(s) in the last 24 hours; limits.runs_per_day is ${config.limits.runsPerDay}`,
    };
  }
  return ACT;
}

/** Why a repair was refused by an off switch or a limit: bounded, the `reason` label of `rfsn_app_refusals_total`. */
export const REFUSAL_REASONS = [
  "paused",
  "disabled",
  "trigger_off",
  "hourly_pr_cap",
  "attempts_exhausted",
  "rate_limited",
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export type OffSwitchVerdict =
  | { act: true }
  | { act: false; decision: Decision; refusal: RefusalReason; reason: string };

export interface OffSwitchFacts {
  /** Automatic (`ci-failure`) or explicit (`comment`) trigger. */
  trigger: "ci-failure" | "comment";
  config: Pick<RfsnConfig, "enabled" | "triggers">;
  /** Who paused the repository with `/rfsn pause`, or null. */
  pausedBy: string | null;
  /** Pull requests RFSN opened for this installation in the last hour. */
  pullRequestsLastHour: number;
  /** The installation's hourly cap on opened pull requests (RFSN_MAX_PULL_REQUESTS_PER_HOUR). */
  hourlyPullRequestCap: number;
}

/**
 * The off switches, strongest first: `enabled: false`, the trigger's toggle, `/rfsn pause` (automatic runs only:
 * an explicit `/rfsn fix` from a writer still runs), then the installation's hourly cap on opened pull requests.
 */
export function checkOffSwitches(facts: OffSwitchFacts): OffSwitchVerdict {
  if (!facts.config.enabled)
    return {
      act: false,
      decision: "ignored_disabled",
      refusal: "disabled",
      reason: "RFSN is turned off for this repository (`enabled: false` in `.github/rfsn.yml`)",
    };
  const toggle = facts.trigger === "ci-failure" ? "ci_failure" : "comment";
  const on = facts.trigger === "ci-failure" ? facts.config.triggers.ciFailure : facts.config.triggers.comment;
  if (!on)
    return {
      act: false,
      decision: "ignored_disabled",
      refusal: "trigger_off",
      reason: `the \`${toggle}\` trigger is off (\`triggers.${toggle}: false\` in \`.github/rfsn.yml\`)`,
    };
  if (facts.trigger === "ci-failure" && facts.pausedBy !== null)
    return {
      act: false,
      decision: "ignored_paused",
      refusal: "paused",
      reason: `automatic repairs are paused (\`/rfsn pause\` by @${facts.pausedBy}; \`/rfsn resume\` lifts it)`,
    };
  if (facts.pullRequestsLastHour >= facts.hourlyPullRequestCap)
    return {
      act: false,
      decision: "rate_limited",
      refusal: "hourly_pr_cap",
      reason: `RFSN already opened ${facts.pullRequestsLastHour} pull request(s) for this installation in the last hour; the App's cap (RFSN_MAX_PULL_REQUESTS_PER_HOUR) is ${facts.hourlyPullRequestCap}`,
    };
  return { act: true };
}

/** The dedupe key of a request: repository, head commit and trigger (plus the comment for comment triggers). */
export function requestDedupeKey(parts: {
  repository: string;
  headSha: string;
  trigger: string;
  commentId?: number | null;
}): string {
  const base = `${parts.repository.toLowerCase()}@${parts.headSha.toLowerCase()}:${parts.trigger}`;
  return parts.commentId ? `${base}:comment-${parts.commentId}` : base;
}
