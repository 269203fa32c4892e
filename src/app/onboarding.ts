// Opens the one onboarding pull request of a repository that lacks the RFSN workflow (workflow + commented config).
import type { Octokit } from "@octokit/rest";
import { DEFAULT_CONFIG_FILE } from "../core/config/parse.js";
import { SAMPLE_CONFIG_YAML } from "../core/config/sample.js";
import { hasWorkflow } from "../github/dispatch.js";
import {
  BranchExistsError,
  openOnboardingPullRequest,
  readRepositoryFile,
} from "../github/repository-files.js";
import type { AppDependencies } from "./app-dependencies.js";
import { REPAIR_WORKFLOW_PATH } from "./policy.js";

export const ONBOARDING_BRANCH = "rfsn/onboarding";

export type OnboardingResult =
  | { kind: "opened"; url: string }
  | { kind: "already"; url: string | null }
  | { kind: "has-workflow" };

const BODY = [
  "This pull request sets up **RFSN**, which repairs failing CI by proposing small, tested patches as pull requests.",
  "",
  `- \`${REPAIR_WORKFLOW_PATH}\`: the repair workflow the RFSN App dispatches when CI fails or someone comments \`/rfsn fix\`. It runs in this repository's own Actions runners and only on \`workflow_dispatch\`. Add your dependency install step where the comment says so.`,
  `- \`${DEFAULT_CONFIG_FILE}\`: every setting with its default, commented (only added when the repository has none).`,
  "",
  "Merge it to enable repairs; close it to keep RFSN idle (this pull request is opened once).",
].join("\n");

/**
 * Opens the onboarding pull request unless this repository was already onboarded (claimed atomically in the
 * store, so only one event and one process ever opens it) or already has the workflow.
 */
export async function ensureOnboarding(
  octokit: Octokit,
  deps: AppDependencies,
  repository: { owner: string; repo: string; fullName: string; defaultBranch: string },
  options: { knownMissing?: boolean } = {},
): Promise<OnboardingResult> {
  const previous = deps.appState.onboardingPullRequest(repository.fullName);
  if (previous !== undefined) return { kind: "already", url: previous };
  if (
    !options.knownMissing &&
    (await hasWorkflow(octokit, { owner: repository.owner, repo: repository.repo }))
  ) {
    return { kind: "has-workflow" };
  }
  if (!deps.appState.claimOnboardingFor(repository.fullName)) {
    return { kind: "already", url: deps.appState.onboardingPullRequest(repository.fullName) ?? null };
  }
  try {
    const files: Record<string, string> = { [REPAIR_WORKFLOW_PATH]: deps.workflowTemplate };
    const existingConfig = await readRepositoryFile(octokit, {
      owner: repository.owner,
      repo: repository.repo,
      path: DEFAULT_CONFIG_FILE,
      ref: repository.defaultBranch,
    });
    if (existingConfig === null) files[DEFAULT_CONFIG_FILE] = SAMPLE_CONFIG_YAML;
    const pull = await openOnboardingPullRequest(octokit, {
      owner: repository.owner,
      repo: repository.repo,
      defaultBranch: repository.defaultBranch,
      files,
      branch: ONBOARDING_BRANCH,
      title: "Set up RFSN (automatic CI repair)",
      body: BODY,
      commitMessage: "chore: set up RFSN",
    });
    deps.appState.recordOnboardingPullRequest(repository.fullName, pull.url);
    deps.logger.info(
      { repo: repository.fullName, pullRequest: pull.url },
      "opened the onboarding pull request",
    );
    return { kind: "opened", url: pull.url };
  } catch (error) {
    if (error instanceof BranchExistsError) return { kind: "already", url: null };
    deps.appState.releaseOnboardingClaim(repository.fullName);
    throw error;
  }
}
