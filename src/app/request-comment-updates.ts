// Keeps the one sticky comment of a repair request up to date (queued → running → result), found again by its marker.
import type { Octokit } from "@octokit/rest";
import { upsertComment } from "../github/comments.js";
import {
  type RequestCommentState,
  renderRequestComment,
  requestCommentMarker,
} from "../observability/request-comment.js";
import type { RepairRequest } from "../store/repair-requests.js";
import type { AppDependencies } from "./app-dependencies.js";

/**
 * Writes the request's comment in `state` on the issue or pull request the request answers (created the first time,
 * edited in place afterwards). Requests without a conversation (a failure on a branch without a pull request) have
 * no comment. A failure to write is logged, never thrown: the check run still tells the story.
 */
export async function updateRequestComment(
  octokit: Octokit,
  deps: Pick<AppDependencies, "logger">,
  repository: { owner: string; repo: string },
  request: Pick<RepairRequest, "id" | "commentTarget">,
  state: RequestCommentState,
): Promise<boolean> {
  if (!request.commentTarget) return false;
  try {
    await upsertComment(octokit, {
      owner: repository.owner,
      repo: repository.repo,
      issueNumber: request.commentTarget.issueNumber,
      marker: requestCommentMarker(request.id),
      body: renderRequestComment(state),
    });
    return true;
  } catch (error) {
    deps.logger.warn(
      { err: error, requestId: request.id, state: state.kind },
      "the request's comment could not be written",
    );
    return false;
  }
}
