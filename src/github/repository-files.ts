// Reads a file from a repository at a ref, and proposes new files (the RFSN onboarding) as a pull request.
import type { GitHubClient } from "./octokit.js";
import { type OpenedPullRequest, openRepairPullRequest } from "./pull-requests.js";
import { statusOf } from "./request-status.js";

export const REPOSITORY_CONFIG_PATH = ".github/rfsn.yml";

/** The file's text, or null when it (or the ref) does not exist. A directory at that path is an error. */
export async function readRepositoryFile(
  octokit: GitHubClient,
  request: { owner: string; repo: string; path?: string; ref?: string },
): Promise<string | null> {
  const path = request.path ?? REPOSITORY_CONFIG_PATH;
  try {
    const { data } = await octokit.rest.repos.getContent({
      owner: request.owner,
      repo: request.repo,
      path,
      ...(request.ref ? { ref: request.ref } : {}),
    });
    if (Array.isArray(data) || data.type !== "file" || !("content" in data)) {
      throw new Error(`${path} in ${request.owner}/${request.repo} is not a file`);
    }
    return Buffer.from(data.content, (data.encoding as BufferEncoding) || "base64").toString("utf8");
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}

export class BranchExistsError extends Error {
  constructor(
    readonly branch: string,
    repository: string,
  ) {
    super(
      `branch ${branch} already exists in ${repository}; RFSN never overwrites a branch, delete it or choose another name`,
    );
    this.name = "BranchExistsError";
  }
}

export interface OnboardingRequest {
  owner: string;
  repo: string;
  defaultBranch: string;
  files: Record<string, string>;
  branch: string;
  title: string;
  body: string;
  commitMessage?: string;
}

/** Creates `branch` from the default branch, commits each file through the contents API, and opens a pull request. */
export async function openOnboardingPullRequest(
  octokit: GitHubClient,
  request: OnboardingRequest,
): Promise<OpenedPullRequest> {
  const { data: base } = await octokit.rest.git.getRef({
    owner: request.owner,
    repo: request.repo,
    ref: `heads/${request.defaultBranch}`,
  });
  try {
    await octokit.rest.git.createRef({
      owner: request.owner,
      repo: request.repo,
      ref: `refs/heads/${request.branch}`,
      sha: base.object.sha,
    });
  } catch (error) {
    if (statusOf(error) === 422)
      throw new BranchExistsError(request.branch, `${request.owner}/${request.repo}`);
    throw error;
  }
  for (const [path, content] of Object.entries(request.files)) {
    const existing = await existingFileSha(octokit, request, path);
    await octokit.rest.repos.createOrUpdateFileContents({
      owner: request.owner,
      repo: request.repo,
      path,
      branch: request.branch,
      message: request.commitMessage ?? `chore: add ${path} for RFSN`,
      content: Buffer.from(content, "utf8").toString("base64"),
      ...(existing ? { sha: existing } : {}),
    });
  }
  return openRepairPullRequest(octokit, {
    owner: request.owner,
    repo: request.repo,
    head: request.branch,
    base: request.defaultBranch,
    title: request.title,
    body: request.body,
  });
}

async function existingFileSha(
  octokit: GitHubClient,
  request: OnboardingRequest,
  path: string,
): Promise<string | null> {
  try {
    const { data } = await octokit.rest.repos.getContent({
      owner: request.owner,
      repo: request.repo,
      path,
      ref: request.branch,
    });
    return !Array.isArray(data) && data.type === "file" ? data.sha : null;
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}
