// After a repair is published: the request's sticky comment shows the result, a small fix on a PR becomes a review suggestion, the PR counts toward the hourly cap.
import type { Octokit } from "@octokit/rest";
import type { RepairReport } from "../core/report.js";
import { postReviewSuggestion, type SuggestionResult } from "../github/review-suggestions.js";
import type { RepairRequest } from "../store/repair-requests.js";
import type { AppDependencies } from "./app-dependencies.js";
import { recordOpenedPullRequest } from "./refusals.js";
import { updateRequestComment } from "./request-comment-updates.js";
import type { RepositoryInfo } from "./webhook-payloads.js";

export interface RepairResult {
  repository: Pick<RepositoryInfo, "owner" | "repo" | "fullName">;
  installationId: number | null;
  request: Pick<RepairRequest, "id" | "headSha" | "commentTarget">;
  report: RepairReport;
  /** The patch as published (re-gated against the failing commit); null when nothing was published. */
  publishedDiff: string | null;
  /** The fix pull request RFSN opened, or null. */
  pullRequest: { number: number; url: string } | null;
}

export interface AnnouncedResult {
  commentWritten: boolean;
  suggestion: SuggestionResult;
}

/**
 * For the App's publisher, once per finished request: counts the opened pull request toward the installation's
 * hourly cap, writes the result state of the request's comment, and offers a published fix of at most 3 lines on
 * the failing pull request as a review suggestion (only when the request answers on a pull request).
 */
export async function announceRepairResult(
  octokit: Octokit,
  deps: Pick<AppDependencies, "controls" | "logger">,
  result: RepairResult,
): Promise<AnnouncedResult> {
  const { repository, request, pullRequest } = result;
  if (pullRequest && result.installationId !== null)
    recordOpenedPullRequest(deps, result.installationId, repository.fullName, pullRequest.number);
  const commentWritten = await updateRequestComment(octokit, deps, repository, request, {
    kind: "result",
    requestId: request.id,
    report: result.report,
    pullRequestUrl: pullRequest?.url ?? null,
  });
  let suggestion: SuggestionResult = { posted: false, reason: "no conversation to suggest on" };
  if (result.publishedDiff && request.commentTarget) {
    try {
      suggestion = await postReviewSuggestion(octokit, {
        owner: repository.owner,
        repo: repository.repo,
        pullNumber: request.commentTarget.issueNumber,
        failingCommit: request.headSha,
        diff: result.publishedDiff,
      });
    } catch (error) {
      deps.logger.warn({ err: error, requestId: request.id }, "the review suggestion could not be posted");
      suggestion = { posted: false, reason: error instanceof Error ? error.message : String(error) };
    }
  } else if (!result.publishedDiff) suggestion = { posted: false, reason: "nothing was published" };
  return { commentWritten, suggestion };
}
