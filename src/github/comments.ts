// Writes RFSN's comments: one summary comment per issue kept up to date through a hidden marker, replies and reactions.
import type { GitHubClient } from "./octokit.js";

export interface CommentRef {
  id: number;
  url: string;
  /** False when an existing comment was updated in place. */
  created: boolean;
}

export type ReactionContent = "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes";

export interface UpsertCommentRequest {
  owner: string;
  repo: string;
  issueNumber: number;
  body: string;
  /** Hidden text (e.g. `<!-- rfsn:report -->`) identifying RFSN's comment; added to the body when missing. */
  marker: string;
}

function withMarker(body: string, marker: string): string {
  return body.includes(marker) ? body : `${marker}\n${body}`;
}

/** Finds the comment containing the marker (newest first) and edits it, or creates one. */
export async function upsertComment(
  octokit: GitHubClient,
  request: UpsertCommentRequest,
): Promise<CommentRef> {
  const body = withMarker(request.body, request.marker);
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner: request.owner,
    repo: request.repo,
    issue_number: request.issueNumber,
    per_page: 100,
  });
  const existing = [...comments].reverse().find((comment) => comment.body?.includes(request.marker));
  if (existing) {
    const { data } = await octokit.rest.issues.updateComment({
      owner: request.owner,
      repo: request.repo,
      comment_id: existing.id,
      body,
    });
    return { id: data.id, url: data.html_url, created: false };
  }
  const { data } = await octokit.rest.issues.createComment({
    owner: request.owner,
    repo: request.repo,
    issue_number: request.issueNumber,
    body,
  });
  return { id: data.id, url: data.html_url, created: true };
}

/** Adds a reaction to an issue comment (GitHub answers 200 instead of 201 when it is already there; both are fine). */
export async function addReaction(
  octokit: GitHubClient,
  request: { owner: string; repo: string; commentId: number; content: ReactionContent },
): Promise<void> {
  await octokit.rest.reactions.createForIssueComment({
    owner: request.owner,
    repo: request.repo,
    comment_id: request.commentId,
    content: request.content,
  });
}

/** Answers a comment on the same issue, quoting the command it answers. */
export async function replyToComment(
  octokit: GitHubClient,
  request: {
    owner: string;
    repo: string;
    issueNumber: number;
    inReplyTo?: { author: string; body: string };
    body: string;
  },
): Promise<CommentRef> {
  const quote = request.inReplyTo
    ? `${request.inReplyTo.body
        .split("\n")
        .slice(0, 3)
        .map((line) => `> ${line}`)
        .join("\n")}\n\n@${request.inReplyTo.author} `
    : "";
  const { data } = await octokit.rest.issues.createComment({
    owner: request.owner,
    repo: request.repo,
    issue_number: request.issueNumber,
    body: `${quote}${request.body}`,
  });
  return { id: data.id, url: data.html_url, created: true };
}
