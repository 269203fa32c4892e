// The Action's `publish` step: runs no repository code; reads the repair artifact, commits through the shared publisher, comments.
import { ConfigError, parseRepositoryConfig } from "../core/config/parse.js";
import { DEFAULT_CONFIG, type RfsnConfig } from "../core/config/schema.js";
import { parseUnifiedDiff, touchedPaths } from "../core/diff.js";
import type { RepairReport } from "../core/report.js";
import { upsertComment } from "../github/comments.js";
import type { GitHubClient } from "../github/octokit.js";
import {
  ArtifactRejectedError,
  downloadRepairArtifact,
  PatchRejectedError,
  PublishError,
  publishRepair,
  type RepairArtifact,
} from "../github/publisher/index.js";
import { findPullRequestForCommit } from "../github/pull-requests.js";
import { readRepositoryFile } from "../github/repository-files.js";
import { renderPullRequestBody, renderSummaryComment } from "../observability/report-markdown.js";
import type { ActionEffects } from "./effects.js";
import { ActionInputError, type ActionInputs, type RunnerContext, repairBranchName } from "./inputs.js";
import { opensAsDraft, pullRequestBase } from "./pull-request-base.js";

export const PR_LABELS = ["rfsn", "automated-fix"];

/** The hidden marker of the summary comment of one request, so a re-run updates it instead of adding another. */
export function summaryMarker(requestId: string, runId: string): string {
  return `<!-- rfsn:summary request=${requestId || `run-${runId}`} -->`;
}

export interface PublishStepResult {
  report: RepairReport;
  pullRequest: { number: number; url: string } | null;
  commit: string | null;
  commentUrl: string | null;
  /** Why a fixed patch was not published (a gate or apply rejection, a branch RFSN does not own); null when it was. */
  refused: string | null;
}

/** The title names the first file the patch itself changes (not the report's claim), kept short. */
function pullRequestTitle(patch: string): string {
  let file = "the failing code";
  try {
    file = touchedPaths(parseUnifiedDiff(patch))[0] ?? file;
  } catch {
    // publishRepair reports the malformed diff
  }
  const shown = file.length > 120 ? `…${file.slice(-119)}` : file;
  return `fix: repair failing tests in ${shown} (RFSN)`;
}

function commitMessage(report: RepairReport, failingCommit: string): string {
  const failing = report.baseline.failing
    .map((test) => `- ${test.name.replace(/[\r\n]+/g, " ")}`)
    .slice(0, 10)
    .join("\n");
  const rationale = (report.patch?.rationale ?? "repair failing tests")
    .replace(/[\r\n]+/g, " ")
    .slice(0, 200);
  return `fix: ${rationale}\n\nFound and verified by RFSN on ${failingCommit.slice(0, 7)}.\nTests that failed before and pass now:\n${failing}\n`;
}

/** `.github/rfsn.yml` as it is at the failing commit (the defaults when there is none). */
async function configAt(client: GitHubClient, context: RunnerContext, commit: string): Promise<RfsnConfig> {
  const text = await readRepositoryFile(client, { owner: context.owner, repo: context.repo, ref: commit });
  if (text === null) return DEFAULT_CONFIG;
  try {
    return parseRepositoryConfig(text);
  } catch (error) {
    if (error instanceof ConfigError)
      throw new PublishError(
        `cannot publish: .github/rfsn.yml at ${commit.slice(0, 7)} is invalid: ${error.message}`,
      );
    throw error;
  }
}

/**
 * Publishes the repair of `failingCommit` (from the trusted record, never from the artifact): the artifact of this
 * run is downloaded (or, in the `all` step, read from what the repair step produced) and trusted in nothing.
 */
export async function runPublishStep(
  inputs: ActionInputs,
  context: RunnerContext,
  client: GitHubClient,
  effects: ActionEffects,
  options: { failingCommit: string; artifact?: RepairArtifact },
): Promise<PublishStepResult> {
  const { failingCommit } = options;
  if (!/^[0-9a-f]{40}$/.test(failingCommit))
    throw new ActionInputError(
      "input failing-commit is required by the publish step (pass the dispatch input or github.event.workflow_run.head_sha)",
    );
  const artifact =
    options.artifact ??
    (await downloadRepairArtifact(client, {
      owner: context.owner,
      repo: context.repo,
      runId: Number(context.runId),
    }));
  if (artifact.digest.failingCommit !== failingCommit) {
    throw new ArtifactRejectedError(
      `the repair job worked on ${artifact.digest.failingCommit}, but the failing commit is ${failingCommit}`,
    );
  }
  let report: RepairReport = artifact.report;
  let pullRequest: PublishStepResult["pullRequest"] = null;
  let commit: string | null = null;
  let refused: string | null = null;

  if (report.outcome === "fixed" && artifact.patch && inputs.createPr !== "false") {
    const config = await configAt(client, context, failingCommit);
    const base = await pullRequestBase(client, {
      owner: context.owner,
      repo: context.repo,
      failingCommit,
      ref: inputs.ref,
      baseBranch: inputs.baseBranch,
    });
    try {
      const published = await publishRepair(client, {
        owner: context.owner,
        repo: context.repo,
        failingCommit,
        diff: artifact.patch,
        protectedPaths: [...config.protectedPaths, ...inputs.protectedPaths],
        limits: { maxFiles: config.limits.maxFiles, maxChangedLines: config.limits.maxChangedLines },
        branch: repairBranchName(failingCommit, inputs.requestId, context.runId),
        base,
        draft: opensAsDraft(inputs.createPr, inputs.trigger, config.pullRequests),
        title: pullRequestTitle(artifact.patch),
        body: renderPullRequestBody(report),
        commitMessage: commitMessage(report, failingCommit),
        labels: PR_LABELS,
      });
      commit = published.commit;
      pullRequest = published.pullRequest;
      report = { ...report, links: { ...report.links, pullRequest: published.pullRequest.url } };
      effects.info(
        `rfsn: committed ${published.commit} on ${failingCommit}, pull request ${published.pullRequest.url}`,
      );
    } catch (error) {
      if (!(error instanceof PatchRejectedError || error instanceof PublishError)) throw error;
      refused = error.message;
      report = { ...report, notes: [...(report.notes ?? []), `Not published: ${error.message}`] };
      effects.warning(`rfsn: the patch was not published: ${error.message}`);
    }
  }

  let commentUrl: string | null = null;
  const target =
    inputs.commentTarget ??
    (
      await findPullRequestForCommit(client, {
        owner: context.owner,
        repo: context.repo,
        sha: failingCommit,
      }).catch(() => null)
    )?.number ??
    pullRequest?.number ??
    null;
  if (target) {
    const comment = await upsertComment(client, {
      owner: context.owner,
      repo: context.repo,
      issueNumber: target,
      body: renderSummaryComment(report),
      marker: summaryMarker(inputs.requestId, context.runId),
    });
    commentUrl = comment.url;
  }
  return { report, pullRequest, commit, commentUrl, refused };
}
