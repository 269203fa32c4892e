// The few GitHub reads and writes the App needs that src/github does not offer: a pull request, a branch head, run cancel.
import type { Octokit } from "@octokit/rest";
import { statusOf } from "../github/request-status.js";

export interface PullRequestHead {
  number: number;
  headSha: string;
  headRef: string;
  /** `owner/name` of the head repository (null when the fork was deleted). */
  headRepository: string | null;
  baseRepository: string;
  state: string;
}

export async function pullRequestHead(
  octokit: Octokit,
  owner: string,
  repo: string,
  number: number,
): Promise<PullRequestHead> {
  const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: number });
  return {
    number: data.number,
    headSha: data.head.sha,
    headRef: data.head.ref,
    headRepository: data.head.repo?.full_name ?? null,
    baseRepository: data.base.repo.full_name,
    state: data.state,
  };
}

export async function branchHeadSha(
  octokit: Octokit,
  owner: string,
  repo: string,
  branch: string,
): Promise<string> {
  const { data } = await octokit.rest.repos.getBranch({ owner, repo, branch });
  return data.commit.sha;
}

/** The repository's default branch (`repos.get`). */
export async function defaultBranchOf(octokit: Octokit, owner: string, repo: string): Promise<string> {
  const { data } = await octokit.rest.repos.get({ owner, repo });
  return data.default_branch;
}

/** Asks GitHub to cancel a workflow run; false when GitHub refuses (already finished, unknown, not supported). */
export async function cancelWorkflowRun(
  octokit: Octokit,
  owner: string,
  repo: string,
  runId: number,
): Promise<boolean> {
  try {
    await octokit.rest.actions.cancelWorkflowRun({ owner, repo, run_id: runId });
    return true;
  } catch (error) {
    const status = statusOf(error);
    if (status !== null && status >= 400 && status < 600) return false;
    throw error;
  }
}
