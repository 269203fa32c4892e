// The Action's job: run a repair session on the checkout, then publish: branch, pull request, comment, summary, outputs.
import { join } from "node:path";
import type { RepairReport } from "../core/report.js";
import { pushRepairBranch } from "../github/branch-push.js";
import { upsertComment } from "../github/comments.js";
import type { GitHubClient } from "../github/octokit.js";
import { findPullRequestForCommit, openRepairPullRequest } from "../github/pull-requests.js";
import { AuditLog } from "../observability/audit-chain.js";
import { pushMetrics } from "../observability/pushgateway.js";
import {
  renderJobSummary,
  renderPullRequestBody,
  renderSummaryComment,
} from "../observability/report-markdown.js";
import { loadProjectConfig, sessionSettingsFromConfig } from "../repair/project-config.js";
import { runRepairSession } from "../repair/session.js";
import { prepareRepairBranch } from "../runtime/repair-branch.js";
import { openOutcomeMemory } from "../store/memory-file.js";
import { type ActionInputs, type RunnerContext, repairBranchName } from "./inputs.js";

/** The hidden marker of the summary comment of one request, so a re-run updates it instead of adding another. */
export function summaryMarker(requestId: string, runId: string): string {
  return `<!-- rfsn:summary request=${requestId || `run-${runId}`} -->`;
}
export const BOT_AUTHOR = { name: "rfsn[bot]", email: "rfsn-bot@users.noreply.github.com" };
export const PR_LABELS = ["rfsn", "automated-fix"];

export interface ActionEffects {
  info: (message: string) => void;
  warning: (message: string) => void;
  setOutput: (name: string, value: string) => void;
  writeJobSummary: (markdown: string) => Promise<void>;
  uploadArtifact?: (name: string, files: string[], rootDir: string) => Promise<void>;
  restoreCache?: (paths: string[], key: string, restoreKeys: string[]) => Promise<string | undefined>;
  saveCache?: (paths: string[], key: string) => Promise<void>;
}

export interface ActionResult {
  report: RepairReport;
  pullRequest: { number: number; url: string } | null;
  commentUrl: string | null;
}

async function bestEffort(effects: ActionEffects, what: string, task: () => Promise<void>): Promise<void> {
  try {
    await task();
  } catch (error) {
    effects.warning(`${what} failed: ${(error as Error).message}`);
  }
}

function pullRequestTitle(report: RepairReport): string {
  const file = report.patch?.files[0] ?? "the failing code";
  return `fix: repair failing tests in ${file} (RFSN)`;
}

function commitMessage(report: RepairReport, context: RunnerContext): string {
  const failing = report.baseline.failing
    .map((test) => `- ${test.name}`)
    .slice(0, 10)
    .join("\n");
  return `fix: ${report.patch?.rationale ?? "repair failing tests"}\n\nFound and verified by RFSN for ${context.sha.slice(0, 7)}.\nTests that failed before and pass now:\n${failing}\n`;
}

export async function runAction(
  inputs: ActionInputs,
  context: RunnerContext,
  octokit: GitHubClient,
  effects: ActionEffects,
): Promise<ActionResult> {
  const memoryPath = join(context.tempDir, "rfsn-memory", "rfsn.db");
  const auditPath = join(context.tempDir, `rfsn-audit-${context.runId}.jsonl`);
  const cacheKey = `rfsn-memory-${context.owner}-${context.repo}`;
  if (inputs.memoryCache && effects.restoreCache) {
    await bestEffort(effects, "restoring the outcome memory", async () => {
      const hit = await effects.restoreCache?.([memoryPath], `${cacheKey}-${context.runId}`, [
        `${cacheKey}-`,
      ]);
      effects.info(hit ? `restored outcome memory (${hit})` : "no outcome memory cached yet");
    });
  }

  const config = await loadProjectConfig(context.workspace);
  const audit = AuditLog.open(auditPath);
  const memory = openOutcomeMemory(memoryPath);
  const runUrl = `${context.serverUrl}/${context.owner}/${context.repo}/actions/runs/${context.runId}`;
  let report: RepairReport;
  try {
    const settings = sessionSettingsFromConfig(config);
    report = await runRepairSession({
      ...settings,
      projectDir: context.workspace,
      includeUncommitted: false,
      ...(inputs.testCommand ? { testCommand: inputs.testCommand } : {}),
      ...(inputs.maxIterations ? { maxIterations: inputs.maxIterations } : {}),
      ...(inputs.timeBudgetMinutes ? { timeBudgetMs: inputs.timeBudgetMinutes * 60_000 } : {}),
      protectedPaths: [...(settings.protectedPaths ?? []), ...inputs.protectedPaths],
      memory: memory.memory,
      audit,
      onProgress: (message) => effects.info(message),
      reportExtra: {
        trigger: inputs.trigger,
        repository: {
          owner: context.owner,
          name: context.repo,
          ref: inputs.ref || context.refName,
          sha: context.sha,
        },
        links: { run: runUrl },
      },
    });
  } finally {
    memory.close();
  }

  let pullRequest: ActionResult["pullRequest"] = null;
  if (report.outcome === "fixed" && report.patch && inputs.createPr !== "false") {
    const branch = repairBranchName(context.sha, inputs.requestId, context.runId);
    const prepared = await prepareRepairBranch({
      repositoryDir: context.workspace,
      branch,
      baseCommit: context.sha,
      diff: report.patch.diff,
      message: commitMessage(report, context),
      author: BOT_AUTHOR,
    });
    try {
      await pushRepairBranch({ dir: prepared.dir, branch, token: inputs.token });
      audit.append("git_push", { branch, commit: prepared.commit });
    } finally {
      await prepared.dispose();
    }
    const base = inputs.baseBranch || inputs.ref || context.refName;
    const opened = await openRepairPullRequest(octokit, {
      owner: context.owner,
      repo: context.repo,
      head: branch,
      base,
      title: pullRequestTitle(report),
      body: renderPullRequestBody(report),
      draft: inputs.createPr === "draft",
      labels: PR_LABELS,
    });
    pullRequest = { number: opened.number, url: opened.url };
    report = { ...report, links: { ...report.links, pullRequest: opened.url } };
    audit.append("pull_request", { number: opened.number, url: opened.url });
  }

  let commentUrl: string | null = null;
  const target =
    inputs.commentTarget ??
    (
      await findPullRequestForCommit(octokit, {
        owner: context.owner,
        repo: context.repo,
        sha: context.sha,
      }).catch(() => null)
    )?.number ??
    pullRequest?.number ??
    null;
  if (target) {
    const comment = await upsertComment(octokit, {
      owner: context.owner,
      repo: context.repo,
      issueNumber: target,
      body: renderSummaryComment(report),
      marker: summaryMarker(inputs.requestId, context.runId),
    });
    commentUrl = comment.url;
    audit.append("comment", { issue: target, url: comment.url });
  }

  await bestEffort(effects, "writing the job summary", () =>
    effects.writeJobSummary(renderJobSummary(report)),
  );
  const outputs: Record<string, string> = {
    outcome: report.outcome,
    "pr-number": pullRequest ? String(pullRequest.number) : "",
    "pr-url": pullRequest?.url ?? "",
    patch: report.patch?.diff ?? "",
    iterations: String(report.iterations),
    "candidates-tried": String(report.candidates.tried),
    "duration-ms": String(report.durationMs),
  };
  for (const [name, value] of Object.entries(outputs)) effects.setOutput(name, value);

  const { uploadArtifact, saveCache } = effects;
  if (uploadArtifact) {
    await bestEffort(effects, "uploading the audit log", () =>
      uploadArtifact(`rfsn-audit-${context.runId}`, [auditPath], context.tempDir),
    );
  }
  if (inputs.pushgatewayUrl) {
    await bestEffort(effects, "pushing metrics", () =>
      pushMetrics({
        url: inputs.pushgatewayUrl,
        job: "rfsn_action",
        groupings: { repository: `${context.owner}/${context.repo}` },
      }),
    );
  }
  if (inputs.memoryCache && saveCache) {
    await bestEffort(effects, "saving the outcome memory", () =>
      saveCache([memoryPath], `${cacheKey}-${context.runId}`),
    );
  }
  return { report, pullRequest, commentUrl };
}
