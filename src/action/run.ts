// The Action's job, by `step`: `repair` (session + artifact, never pushes), `publish` (no repository code), or `all`.
import type { RepairReport } from "../core/report.js";
import type { GitHubClient } from "../github/octokit.js";
import { readRepairArtifact } from "../github/publisher/index.js";
import { pushMetrics } from "../observability/pushgateway.js";
import { renderJobSummary } from "../observability/report-markdown.js";
import type { ActionEffects } from "./effects.js";
import { ActionInputError, type ActionInputs, type RunnerContext } from "./inputs.js";
import { runPublishStep } from "./publish-step.js";
import { runRepairStep } from "./repair-step.js";

export { BOT_AUTHOR } from "../github/publisher/index.js";
export type { ActionEffects } from "./effects.js";
export { PR_LABELS, summaryMarker } from "./publish-step.js";

export interface ActionResult {
  report: RepairReport;
  /** The commit the repair worked on and the fix commit's parent. */
  failingCommit: string;
  pullRequest: { number: number; url: string } | null;
  /** The fix commit made by the publisher (null when nothing was published). */
  commit: string | null;
  commentUrl: string | null;
  /** Why a fixed patch was not published, when it was not. */
  refused: string | null;
}

async function bestEffort(effects: ActionEffects, what: string, task: () => Promise<void>): Promise<void> {
  try {
    await task();
  } catch (error) {
    effects.warning(`${what} failed: ${(error as Error).message}`);
  }
}

function setOutputs(effects: ActionEffects, result: ActionResult): void {
  const { report, pullRequest } = result;
  const outputs: Record<string, string> = {
    outcome: report.outcome,
    "failing-commit": result.failingCommit,
    "pr-number": pullRequest ? String(pullRequest.number) : "",
    "pr-url": pullRequest?.url ?? "",
    commit: result.commit ?? "",
    patch: report.patch?.diff ?? "",
    iterations: String(report.iterations),
    "candidates-tried": String(report.candidates.tried),
    "duration-ms": String(report.durationMs),
  };
  for (const [name, value] of Object.entries(outputs)) effects.setOutput(name, value);
}

/**
 * Runs the step the inputs ask for. `client` may be null only for `repair`: that step never needs a token, and the
 * fix commit is always made by the publisher on the failing commit, never on `GITHUB_SHA`.
 */
export async function runAction(
  inputs: ActionInputs,
  context: RunnerContext,
  client: GitHubClient | null,
  effects: ActionEffects,
): Promise<ActionResult> {
  let result: ActionResult;
  let auditPath: string | null = null;
  if (inputs.step === "publish") {
    if (!client) throw new ActionInputError("the publish step needs a token (input token)");
    const published = await runPublishStep(inputs, context, client, effects, {
      failingCommit: inputs.failingCommit,
    });
    result = { ...published, failingCommit: inputs.failingCommit };
  } else {
    const repaired = await runRepairStep(inputs, context, effects, {
      uploadRequired: inputs.step === "repair",
    });
    auditPath = repaired.auditPath;
    if (inputs.step === "repair") {
      result = {
        report: repaired.report,
        failingCommit: repaired.failingCommit,
        pullRequest: null,
        commit: null,
        commentUrl: null,
        refused: null,
      };
    } else {
      if (!client) throw new ActionInputError("the all step needs a token (input token) to publish");
      // The same checks as the two-job mode: the publisher reads the artifact as it would after downloading it.
      const artifact = readRepairArtifact(repaired.artifactFiles);
      const published = await runPublishStep(inputs, context, client, effects, {
        failingCommit: repaired.failingCommit,
        artifact,
      });
      result = { ...published, failingCommit: repaired.failingCommit };
    }
  }

  await bestEffort(effects, "writing the job summary", () =>
    effects.writeJobSummary(renderJobSummary(result.report)),
  );
  setOutputs(effects, result);
  const { uploadArtifact } = effects;
  if (uploadArtifact && auditPath) {
    const path = auditPath;
    await bestEffort(effects, "uploading the audit log", () =>
      uploadArtifact(`rfsn-audit-${context.runId}`, [path], context.tempDir),
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
  return result;
}
