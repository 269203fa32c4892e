// Opens the repair pull request (reusing one that already exists for the branch) and finds pull requests by branch or commit.
import type { GitHubClient } from "./octokit.js";
import { githubMessage, statusOf } from "./request-status.js";

export interface PullRequestSummary {
  number: number;
  url: string;
  headRef: string;
  headSha: string;
  state: string;
}

export interface OpenPullRequestRequest {
  owner: string;
  repo: string;
  head: string;
  base: string;
  title: string;
  body: string;
  draft?: boolean;
  labels?: string[];
}

export interface OpenedPullRequest extends PullRequestSummary {
  /** False when GitHub already had an open pull request for this head and base. */
  created: boolean;
  /** Why labelling failed, when it did (a missing label permission never fails the pull request). */
  labelError: string | null;
}

export class PullRequestError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PullRequestError";
  }
}

interface PullLike {
  number: number;
  html_url: string;
  state: string;
  head: { ref: string; sha: string };
}

function summarize(pull: PullLike): PullRequestSummary {
  return {
    number: pull.number,
    url: pull.html_url,
    headRef: pull.head.ref,
    headSha: pull.head.sha,
    state: pull.state,
  };
}

export async function pullRequestsForBranch(
  octokit: GitHubClient,
  query: { owner: string; repo: string; branch: string; state?: "open" | "closed" | "all"; base?: string },
): Promise<PullRequestSummary[]> {
  const { data } = await octokit.rest.pulls.list({
    owner: query.owner,
    repo: query.repo,
    head: `${query.owner}:${query.branch}`,
    state: query.state ?? "open",
    ...(query.base ? { base: query.base } : {}),
    per_page: 100,
  });
  return data.map(summarize);
}

/** The open pull request whose head is this commit (else any associated one); null when there is none. */
export async function findPullRequestForCommit(
  octokit: GitHubClient,
  query: { owner: string; repo: string; sha: string },
): Promise<PullRequestSummary | null> {
  const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
    owner: query.owner,
    repo: query.repo,
    commit_sha: query.sha,
    per_page: 100,
  });
  const pulls = data.map(summarize);
  return (
    pulls.find((pull) => pull.state === "open" && pull.headSha === query.sha) ??
    pulls.find((pull) => pull.state === "open") ??
    pulls[0] ??
    null
  );
}

function alreadyExists(error: unknown): boolean {
  return statusOf(error) === 422 && /pull request already exists/i.test(githubMessage(error));
}

export async function openRepairPullRequest(
  octokit: GitHubClient,
  request: OpenPullRequestRequest,
): Promise<OpenedPullRequest> {
  let pull: PullRequestSummary;
  let created = true;
  try {
    const { data } = await octokit.rest.pulls.create({
      owner: request.owner,
      repo: request.repo,
      head: request.head,
      base: request.base,
      title: request.title,
      body: request.body,
      draft: request.draft ?? false,
      maintainer_can_modify: true,
    });
    pull = summarize(data);
  } catch (error) {
    if (!alreadyExists(error)) {
      throw new PullRequestError(
        `could not open a pull request from ${request.head} into ${request.base} in ${request.owner}/${request.repo}: ${githubMessage(error)}`,
        { cause: error },
      );
    }
    const [existing] = await pullRequestsForBranch(octokit, {
      owner: request.owner,
      repo: request.repo,
      branch: request.head,
      base: request.base,
    });
    if (!existing) {
      throw new PullRequestError(
        `GitHub reports a pull request for ${request.head} already exists in ${request.owner}/${request.repo}, but none is open`,
        { cause: error },
      );
    }
    pull = existing;
    created = false;
  }

  let labelError: string | null = null;
  if (request.labels && request.labels.length > 0) {
    try {
      await octokit.rest.issues.addLabels({
        owner: request.owner,
        repo: request.repo,
        issue_number: pull.number,
        labels: request.labels,
      });
    } catch (error) {
      labelError = githubMessage(error);
    }
  }
  return { ...pull, created, labelError };
}
