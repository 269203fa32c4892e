// The "RFSN repair" check run: created queued per request, found again by external_id so replicas do not start twice.
import type { GitHubClient } from "./octokit.js";

export const REPAIR_CHECK_NAME = "RFSN repair";

export type CheckRunStatus = "queued" | "in_progress" | "completed";
export type CheckRunConclusion =
  | "success"
  | "failure"
  | "neutral"
  | "cancelled"
  | "skipped"
  | "timed_out"
  | "action_required";

export interface CheckRunRef {
  id: number;
  url: string;
  externalId: string;
  status: string;
  conclusion: string | null;
}

interface CheckRunLike {
  id: number;
  html_url: string | null;
  external_id: string | null;
  status: string;
  conclusion: string | null;
}

function summarize(run: CheckRunLike): CheckRunRef {
  return {
    id: run.id,
    url: run.html_url ?? "",
    externalId: run.external_id ?? "",
    status: run.status,
    conclusion: run.conclusion,
  };
}

export async function createRepairCheckRun(
  octokit: GitHubClient,
  request: {
    owner: string;
    repo: string;
    headSha: string;
    externalId: string;
    detailsUrl?: string;
    title?: string;
    summary?: string;
  },
): Promise<CheckRunRef> {
  const { data } = await octokit.rest.checks.create({
    owner: request.owner,
    repo: request.repo,
    name: REPAIR_CHECK_NAME,
    head_sha: request.headSha,
    external_id: request.externalId,
    status: "queued",
    ...(request.detailsUrl ? { details_url: request.detailsUrl } : {}),
    output: {
      title: request.title ?? "Repair queued",
      summary:
        request.summary ?? "RFSN has asked the repository's runner to reproduce and repair the failure.",
    },
  });
  return summarize(data);
}

/** The repair check run with this external id on the commit, if any replica already created one. */
export async function findCheckRunByExternalId(
  octokit: GitHubClient,
  request: { owner: string; repo: string; ref: string; externalId: string },
): Promise<CheckRunRef | null> {
  const runs = await octokit.paginate(octokit.rest.checks.listForRef, {
    owner: request.owner,
    repo: request.repo,
    ref: request.ref,
    check_name: REPAIR_CHECK_NAME,
    filter: "all",
    per_page: 100,
  });
  const match = runs.find((run) => run.external_id === request.externalId);
  return match ? summarize(match) : null;
}

export async function updateCheckRun(
  octokit: GitHubClient,
  request: {
    owner: string;
    repo: string;
    checkRunId: number;
    status?: CheckRunStatus;
    conclusion?: CheckRunConclusion;
    detailsUrl?: string;
    output?: { title: string; summary: string; text?: string };
  },
): Promise<CheckRunRef> {
  const { data } = await octokit.rest.checks.update({
    owner: request.owner,
    repo: request.repo,
    check_run_id: request.checkRunId,
    ...(request.status ? { status: request.status } : {}),
    ...(request.conclusion ? { conclusion: request.conclusion } : {}),
    ...(request.detailsUrl ? { details_url: request.detailsUrl } : {}),
    ...(request.output ? { output: request.output } : {}),
  });
  return summarize(data);
}
