// On installation (or repositories added to it), opens the onboarding pull request where the RFSN workflow is missing.
import type { Octokit } from "@octokit/rest";
import type { AppDependencies } from "./app-dependencies.js";
import type { HandlerOutcome } from "./ci-failure-handler.js";
import { defaultBranchOf } from "./github-lookups.js";
import { ensureOnboarding } from "./onboarding.js";
import type { InstallationEvent } from "./webhook-payloads.js";

/** At most this many repositories are onboarded per event; the others get theirs on their first trigger. */
export const MAX_ONBOARDINGS_PER_EVENT = 20;

export async function handleInstallation(
  octokit: Octokit,
  deps: AppDependencies,
  event: InstallationEvent,
): Promise<HandlerOutcome> {
  let opened = 0;
  const failures: string[] = [];
  for (const fullName of event.repositories.slice(0, MAX_ONBOARDINGS_PER_EVENT)) {
    const [owner = "", repo = ""] = fullName.split("/");
    try {
      const defaultBranch = await defaultBranchOf(octokit, owner, repo);
      const result = await ensureOnboarding(octokit, deps, { owner, repo, fullName, defaultBranch });
      if (result.kind === "opened") opened += 1;
    } catch (error) {
      failures.push(fullName);
      deps.logger.warn({ repo: fullName, err: error }, "could not onboard the repository");
    }
  }
  if (failures.length > 0)
    return { decision: "error", reason: `onboarding failed for ${failures.join(", ")}` };
  return {
    decision: opened > 0 ? "onboarding" : "ignored_event",
    reason: `${opened} onboarding pull request(s) opened`,
  };
}
