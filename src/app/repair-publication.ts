// Publishes a finished repair run in App mode: downloads its artifact through the API, checks it against the dispatch record, commits.
import type { Octokit } from "@octokit/rest";
import type { RepairReport } from "../core/report.js";
import {
  ArtifactRejectedError,
  createRepairCommit,
  downloadRepairArtifact,
  PatchRejectedError,
  PublishError,
  publishRepair,
  type RepairArtifact,
} from "../github/publisher/index.js";
import { githubMessage, statusOf } from "../github/request-status.js";
import { renderPullRequestBody } from "../observability/report-markdown.js";
import type { RepairDispatch } from "../store/repair-dispatches.js";
import type { RepairRequest } from "../store/repair-requests.js";
import type { AppDependencies } from "./app-dependencies.js";
import { announceRepairResult } from "./repair-result-announcement.js";
import { configAt } from "./repository-config.js";

export const FIX_LABELS = ["rfsn", "automated-fix"];

/** What the App did with a finished run's artifact: the input of the check run's verdict. */
export type RunPublication =
  | { kind: "artifact_rejected"; reason: string }
  | { kind: "report"; report: RepairReport }
  | {
      kind: "published";
      report: RepairReport;
      commit: string;
      url: string;
      where: "pull_request" | "fork_branch";
    }
  | { kind: "patch_rejected"; report: RepairReport; reason: string }
  | { kind: "publish_failed"; report: RepairReport; reason: string };

/** Reads the artifact and holds it against the App's record: its commit and run must be the dispatched ones. */
export function checkArtifactAgainstRecord(
  artifact: RepairArtifact,
  dispatch: RepairDispatch,
  runId: number,
): void {
  if (artifact.digest.failingCommit.toLowerCase() !== dispatch.failingCommit)
    throw new ArtifactRejectedError(
      `it was made for commit ${artifact.digest.failingCommit}, the App dispatched the repair of ${dispatch.failingCommit}`,
    );
  if (String(artifact.digest.runId) !== String(runId))
    throw new ArtifactRejectedError(
      `it names run ${artifact.digest.runId}, it was downloaded from run ${runId}`,
    );
}

function commitMessage(report: RepairReport, failingCommit: string): string {
  const failing = report.baseline.failing
    .slice(0, 10)
    .map((test) => `- ${test.name}`)
    .join("\n");
  return `fix: ${report.patch?.rationale ?? "repair failing tests"}\n\nFound and verified by RFSN for ${failingCommit.slice(0, 7)}.\nTests that failed before and pass now:\n${failing}\n`;
}

/** `rfsn/fix/<sha7>-<request id>`, safe as a ref name. */
export function fixBranchName(failingCommit: string, requestId: string): string {
  const suffix =
    requestId
      .replace(/[^A-Za-z0-9_-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "app";
  return `rfsn/fix/${failingCommit.slice(0, 7)}-${suffix}`;
}

async function publish(
  octokit: Octokit,
  deps: AppDependencies,
  request: RepairRequest,
  dispatch: RepairDispatch,
  artifact: RepairArtifact,
): Promise<RunPublication> {
  const [owner = "", repo = ""] = dispatch.repo.split("/");
  const report = artifact.report;
  // A fork's config must not weaken anything: read the protected paths where the fix PR lands.
  const configRef = dispatch.headRepo ? dispatch.baseBranch : dispatch.failingCommit;
  const loaded = await configAt(deps.repositoryConfigs, octokit, owner, repo, configRef);
  const protectedPaths = loaded.ok ? loaded.config.protectedPaths : [];
  const drafts = loaded.ok ? loaded.config.pullRequests : { draftAutomatic: true, draftOnRequest: false };
  const message = commitMessage(report, dispatch.failingCommit);
  try {
    if (dispatch.headRepo && dispatch.maintainerCanModify) {
      const pushed = await pushToForkBranch(octokit, dispatch, artifact.patch, protectedPaths, message);
      if (pushed)
        return { kind: "published", report, commit: pushed.commit, url: pushed.url, where: "fork_branch" };
    }
    const result = await publishRepair(octokit, {
      owner,
      repo,
      failingCommit: dispatch.failingCommit,
      diff: artifact.patch,
      protectedPaths,
      branch: fixBranchName(dispatch.failingCommit, request.id),
      base: dispatch.baseBranch,
      // Automatic repairs open drafts, an explicit `/rfsn fix` a ready pull request, unless `.github/rfsn.yml` says otherwise.
      draft: request.trigger === "comment" ? drafts.draftOnRequest : drafts.draftAutomatic,
      title: `fix: repair failing tests in ${report.patch?.files[0] ?? "the failing code"} (RFSN)`,
      body: forkNote(dispatch) + renderPullRequestBody(report),
      commitMessage: message,
      labels: FIX_LABELS,
    });
    return {
      kind: "published",
      report,
      commit: result.commit,
      url: result.pullRequest.url,
      where: "pull_request",
    };
  } catch (error) {
    if (error instanceof PatchRejectedError) return { kind: "patch_rejected", report, reason: error.message };
    if (error instanceof PublishError) return { kind: "publish_failed", report, reason: error.message };
    return { kind: "publish_failed", report, reason: `GitHub refused: ${githubMessage(error)}` };
  }
}

function forkNote(dispatch: RepairDispatch): string {
  if (!dispatch.headRepo) return "";
  const pull = dispatch.pullRequest ? `#${dispatch.pullRequest}` : `${dispatch.headRepo}:${dispatch.branch}`;
  return `> This fix is for ${pull} from the fork ${dispatch.headRepo}, which does not let maintainers push to its branch. This pull request carries that branch's commits plus the fix: merge it instead, or the author can cherry-pick the last commit.\n\n`;
}

/**
 * A fork's pull request whose author allows edits by maintainers: the fix commit is made in the fork (git data API,
 * parent = the failing commit) and the fork's branch is fast-forwarded to it, never forced. Null when the fork
 * refuses the push (the branch moved on, or the permission was withdrawn): the caller opens a PR instead.
 */
async function pushToForkBranch(
  octokit: Octokit,
  dispatch: RepairDispatch,
  diff: string,
  protectedPaths: string[],
  commitMessageText: string,
): Promise<{ commit: string; url: string } | null> {
  const [baseOwner = "", baseRepo = ""] = dispatch.repo.split("/");
  if (dispatch.pullRequest === null) return null;
  // Decided on the pull request as it is now: the author may have withdrawn the permission or pushed since.
  const { data: pull } = await octokit.rest.pulls.get({
    owner: baseOwner,
    repo: baseRepo,
    pull_number: dispatch.pullRequest,
  });
  if (
    pull.state !== "open" ||
    !pull.maintainer_can_modify ||
    pull.head.sha.toLowerCase() !== dispatch.failingCommit ||
    pull.head.ref !== dispatch.branch ||
    pull.head.repo?.full_name.toLowerCase() !== dispatch.headRepo?.toLowerCase()
  )
    return null;
  const [owner = "", repo = ""] = (dispatch.headRepo ?? "").split("/");
  let commit: string;
  try {
    commit = await createRepairCommit(octokit, {
      owner,
      repo,
      failingCommit: dispatch.failingCommit,
      diff,
      protectedPaths,
      commitMessage: commitMessageText,
    });
  } catch (error) {
    // The installation cannot write to the fork after all: publish here instead.
    if (statusOf(error) === 403 || statusOf(error) === 404) return null;
    throw error;
  }
  try {
    await octokit.rest.git.updateRef({
      owner,
      repo,
      ref: `heads/${dispatch.branch}`,
      sha: commit,
      force: false,
    });
  } catch (error) {
    const status = statusOf(error);
    if (status === 422 || status === 403 || status === 404) return null;
    throw error;
  }
  const forkUrl = pull.head.repo?.html_url ?? `https://github.com/${owner}/${repo}`;
  return { commit, url: `${forkUrl}/commit/${commit}` };
}

/** The hidden marker of a request's summary comment (the same one the Action-only publisher uses). */
export function summaryMarker(requestId: string): string {
  return `<!-- rfsn:summary request=${requestId} -->`;
}

/**
 * Posts (or updates) the request's summary comment with the installation token: where `/rfsn fix` was typed, on the
 * failing pull request, else on the fix pull request. Best effort: the check run already tells the outcome.
 */
export async function postSummaryComment(
  octokit: Octokit,
  deps: AppDependencies,
  request: RepairRequest,
  dispatch: RepairDispatch,
  publication: RunPublication,
  installationId: number | null,
): Promise<void> {
  if (!("report" in publication)) return;
  const fixPullRequest =
    publication.kind === "published" && publication.where === "pull_request"
      ? { number: Number(/\/pull\/(\d+)$/.exec(publication.url)?.[1] ?? 0), url: publication.url }
      : null;
  const issueNumber =
    request.commentTarget?.issueNumber ?? dispatch.pullRequest ?? (fixPullRequest?.number || null);
  if (!issueNumber) return;
  let report = publication.report;
  if (publication.kind === "published")
    report = { ...report, links: { ...report.links, pullRequest: publication.url } };
  if (publication.kind === "patch_rejected" || publication.kind === "publish_failed")
    report = { ...report, notes: [...(report.notes ?? []), `Not published: ${publication.reason}`] };
  const [owner = "", repo = ""] = dispatch.repo.split("/");
  // One sticky comment per request (its result state), a review suggestion for a small fix on the failing PR,
  // and the opened PR counted toward the installation's hourly cap.
  await announceRepairResult(octokit, deps, {
    repository: { owner, repo, fullName: dispatch.repo },
    installationId,
    request: {
      id: request.id,
      headSha: dispatch.failingCommit,
      commentTarget: { issueNumber, commentId: null },
    },
    report,
    publishedDiff: publication.kind === "published" ? (report.patch?.diff ?? null) : null,
    pullRequest: fixPullRequest && fixPullRequest.number > 0 ? fixPullRequest : null,
  });
}

/** Downloads, checks and publishes the artifact of a finished repair run; never throws for what the run left behind. */
export async function publishFinishedRun(
  octokit: Octokit,
  deps: AppDependencies,
  request: RepairRequest,
  dispatch: RepairDispatch,
  runId: number,
  runConclusion: string | null,
): Promise<RunPublication> {
  const [owner = "", repo = ""] = dispatch.repo.split("/");
  let artifact: RepairArtifact;
  try {
    artifact = await downloadRepairArtifact(octokit, { owner, repo, runId });
    checkArtifactAgainstRecord(artifact, dispatch, runId);
  } catch (error) {
    if (error instanceof ArtifactRejectedError) return { kind: "artifact_rejected", reason: error.message };
    throw error;
  }
  if (artifact.report.outcome !== "fixed") return { kind: "report", report: artifact.report };
  // RFSN's repair step ends green when it found a fix; a red run with a "fixed" artifact means something else
  // (for example a test that uploaded its own artifact first, so RFSN's upload failed) wrote it: publish nothing.
  if (runConclusion !== "success")
    return {
      kind: "artifact_rejected",
      reason: `the run ended with ${runConclusion ?? "no conclusion"}; RFSN publishes a fix only from a run that succeeded`,
    };
  return publish(octokit, deps, request, dispatch, artifact);
}
