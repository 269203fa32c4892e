// Decides where the fix pull request goes (the branch that failed) and whether it opens as a draft.
import type { RfsnConfig } from "../core/config/schema.js";
import type { GitHubClient } from "../github/octokit.js";
import { findPullRequestForCommit } from "../github/pull-requests.js";
import { statusOf } from "../github/request-status.js";
import type { CreatePullRequest, Trigger } from "./inputs.js";

/**
 * The base of the fix PR: `base-branch` when given; else `ref` (the branch that failed: a PR's head branch, so that
 * merging the fix fixes that PR, or the default branch) when it is a branch of this repository; else the head branch of
 * an open PR whose head is the failing commit; else the default branch. Never `GITHUB_REF`: a dispatched run's ref is
 * the branch it was dispatched on, not the one that failed.
 */
export async function pullRequestBase(
  client: GitHubClient,
  request: { owner: string; repo: string; failingCommit: string; ref: string; baseBranch: string },
): Promise<string> {
  if (request.baseBranch) return request.baseBranch.replace(/^refs\/heads\//, "");
  const ref = request.ref.replace(/^refs\/heads\//, "");
  if (ref && !ref.startsWith("refs/")) {
    try {
      await client.rest.git.getRef({ owner: request.owner, repo: request.repo, ref: `heads/${ref}` });
      return ref;
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }
  const pull = await findPullRequestForCommit(client, {
    owner: request.owner,
    repo: request.repo,
    sha: request.failingCommit,
  }).catch(() => null);
  if (pull && pull.state === "open" && pull.headSha === request.failingCommit) return pull.headRef;
  const { data } = await client.rest.repos.get({ owner: request.owner, repo: request.repo });
  return data.default_branch;
}

/**
 * Drafts: an automatic run (`trigger: ci-failure`) opens a draft, an explicit request (`/rfsn fix`, a manual run) a PR
 * ready for review; `pull_requests.draft_automatic` / `draft_on_request` of `.github/rfsn.yml` override either, and the
 * `create-pr: draft` input makes every PR a draft.
 */
export function opensAsDraft(
  createPr: CreatePullRequest,
  trigger: Trigger,
  settings: RfsnConfig["pullRequests"],
): boolean {
  if (createPr === "draft") return true;
  return trigger === "ci-failure" ? settings.draftAutomatic : settings.draftOnRequest;
}
