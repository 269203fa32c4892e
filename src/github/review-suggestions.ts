// Posts a small repair patch as a one-click review suggestion on the failing pull request, when GitHub allows it there.
import {
  type PullRequestFile,
  planReviewSuggestion,
  type ReviewSuggestion,
  type SuggestionDecision,
} from "../core/review-suggestion.js";
import type { GitHubClient } from "./octokit.js";
import { statusOf } from "./request-status.js";

export interface SuggestionRequest {
  owner: string;
  repo: string;
  pullNumber: number;
  /** The commit the repair started from (from the trusted record, never from the artifact). */
  failingCommit: string;
  /** The repair patch. */
  diff: string;
}

export type SuggestionResult =
  | { posted: true; commentId: number; url: string; suggestion: ReviewSuggestion }
  | { posted: false; reason: string };

/** The files of a pull request with their patches (`GET /repos/{owner}/{repo}/pulls/{pull_number}/files`, all pages). */
export async function listPullRequestFiles(
  octokit: GitHubClient,
  owner: string,
  repo: string,
  pullNumber: number,
): Promise<PullRequestFile[]> {
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
    owner,
    repo,
    pull_number: pullNumber,
    per_page: 100,
  });
  return files.map((file) => ({
    filename: file.filename,
    status: file.status,
    ...(file.patch === undefined ? {} : { patch: file.patch }),
  }));
}

/**
 * Reads the pull request's head and files, decides with `planReviewSuggestion`, and creates the review comment
 * (`POST /repos/{owner}/{repo}/pulls/{pull_number}/comments`, a line range on the RIGHT side at the head commit).
 */
export async function postReviewSuggestion(
  octokit: GitHubClient,
  request: SuggestionRequest,
): Promise<SuggestionResult> {
  const { owner, repo, pullNumber } = request;
  let pull: Awaited<ReturnType<GitHubClient["rest"]["pulls"]["get"]>>["data"];
  try {
    ({ data: pull } = await octokit.rest.pulls.get({ owner, repo, pull_number: pullNumber }));
  } catch (error) {
    // The request answered on an issue, not a pull request: nothing to suggest on.
    if (statusOf(error) === 404) return { posted: false, reason: `#${pullNumber} is not a pull request` };
    throw error;
  }
  const decision: SuggestionDecision = planReviewSuggestion({
    repairDiff: request.diff,
    failingCommit: request.failingCommit,
    pullRequestHead: pull.head.sha,
    pullRequestFiles: await listPullRequestFiles(octokit, owner, repo, pullNumber),
  });
  if (!decision.suggest) return { posted: false, reason: decision.reason };
  const { suggestion } = decision;
  const { data } = await octokit.rest.pulls.createReviewComment({
    owner,
    repo,
    pull_number: pullNumber,
    commit_id: pull.head.sha,
    path: suggestion.path,
    body: suggestion.body,
    side: "RIGHT",
    line: suggestion.line,
    ...(suggestion.startLine < suggestion.line
      ? { start_line: suggestion.startLine, start_side: "RIGHT" as const }
      : {}),
  });
  return { posted: true, commentId: data.id, url: data.html_url, suggestion };
}
