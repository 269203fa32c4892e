// Opens the one onboarding pull request of a repository that lacks the RFSN workflow (tailored workflow + commented config).
import type { Octokit } from "@octokit/rest";
import { DEFAULT_CONFIG_FILE } from "../core/config/parse.js";
import { SAMPLE_CONFIG_YAML } from "../core/config/sample.js";
import { tailoredConfigYaml } from "../core/config/tailored-sample.js";
import { type DetectedStack, detectStackFrom, StackNotDetectedError } from "../core/stack-detection.js";
import { fillSetupSteps, SetupMarkerMissingError, setupStepsFor } from "../core/workflow-setup-steps.js";
import { hasWorkflow } from "../github/dispatch.js";
import { repositoryFileSource } from "../github/repository-file-source.js";
import {
  BranchExistsError,
  openOnboardingPullRequest,
  readRepositoryFile,
} from "../github/repository-files.js";
import type { AppDependencies } from "./app-dependencies.js";
import { type OnboardingBodyInput, onboardingBody } from "./onboarding-body.js";
import { REPAIR_WORKFLOW_PATH } from "./policy.js";

export const ONBOARDING_BRANCH = "rfsn/onboarding";

export type OnboardingResult =
  | { kind: "opened"; url: string }
  | { kind: "already"; url: string | null }
  | { kind: "has-workflow" };

/**
 * The workflow and config tailored to the repository's stack (detected through the contents API at the default
 * branch), or the plain template and sample with the reason when nothing could be detected.
 */
export async function tailoredOnboardingFiles(
  octokit: Octokit,
  repository: { owner: string; repo: string; defaultBranch: string },
  template: string,
): Promise<{ workflow: string; config: string; detection: OnboardingBodyInput["detection"] }> {
  let stack: DetectedStack;
  try {
    stack = await detectStackFrom(
      repositoryFileSource(octokit, {
        owner: repository.owner,
        repo: repository.repo,
        ref: repository.defaultBranch,
      }),
    );
  } catch (error) {
    if (!(error instanceof StackNotDetectedError)) throw error;
    return {
      workflow: template,
      config: SAMPLE_CONFIG_YAML,
      detection: { problem: "no package.json, pyproject.toml, requirements.txt or setup.py at the root" },
    };
  }
  try {
    return {
      workflow: fillSetupSteps(template, stack),
      config: tailoredConfigYaml(stack),
      detection: { stack, steps: setupStepsFor(stack) },
    };
  } catch (error) {
    if (!(error instanceof SetupMarkerMissingError)) throw error;
    return { workflow: template, config: tailoredConfigYaml(stack), detection: { problem: error.message } };
  }
}

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
    const tailored = await tailoredOnboardingFiles(octokit, repository, deps.workflowTemplate);
    const files: Record<string, string> = { [REPAIR_WORKFLOW_PATH]: tailored.workflow };
    const existingConfig = await readRepositoryFile(octokit, {
      owner: repository.owner,
      repo: repository.repo,
      path: DEFAULT_CONFIG_FILE,
      ref: repository.defaultBranch,
    });
    if (existingConfig === null) files[DEFAULT_CONFIG_FILE] = tailored.config;
    const pull = await openOnboardingPullRequest(octokit, {
      owner: repository.owner,
      repo: repository.repo,
      defaultBranch: repository.defaultBranch,
      files,
      branch: ONBOARDING_BRANCH,
      title: "Set up RFSN (automatic CI repair)",
      body: onboardingBody({
        workflowPath: REPAIR_WORKFLOW_PATH,
        configPath: DEFAULT_CONFIG_FILE,
        addsConfig: existingConfig === null,
        detection: tailored.detection,
      }),
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
