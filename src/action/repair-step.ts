// The Action's `repair` step: run the session on the failing commit and upload patch, report and digest; never publishes.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RepairReport } from "../core/report.js";
import { ARTIFACT_NAME, repairArtifactFiles } from "../github/publisher/index.js";
import { AuditLog } from "../observability/audit-chain.js";
import { loadProjectConfig, sessionSettingsFromConfig } from "../repair/project-config.js";
import { runRepairSession } from "../repair/session.js";
import { checkoutFailingCommit } from "../runtime/failing-checkout.js";
import { openOutcomeMemory } from "../store/memory-file.js";
import { actionLlm } from "./action-llm.js";
import type { ActionEffects } from "./effects.js";
import type { ActionInputs, RunnerContext } from "./inputs.js";

export interface RepairStepResult {
  report: RepairReport;
  /** The commit the session verified the patch on (HEAD of the checkout, equal to the `failing-commit` input when given). */
  failingCommit: string;
  /** patch.diff, report.json and digest.json as uploaded. */
  artifactFiles: Map<string, Buffer>;
  auditPath: string;
}

export class ArtifactUploadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ArtifactUploadError";
  }
}

async function bestEffort(effects: ActionEffects, what: string, task: () => Promise<void>): Promise<void> {
  try {
    await task();
  } catch (error) {
    effects.warning(`${what} failed: ${(error as Error).message}`);
  }
}

export async function runRepairStep(
  inputs: ActionInputs,
  context: RunnerContext,
  effects: ActionEffects,
  options: { uploadRequired: boolean },
): Promise<RepairStepResult> {
  const checkout = await checkoutFailingCommit(context.workspace, inputs.failingCommit);
  if (checkout.moved !== "no")
    effects.info(`checked out the failing commit ${checkout.commit} (${checkout.moved})`);
  const failingCommit = checkout.commit;

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
    const llm = actionLlm(inputs, config.llm, {
      cacheDatabase: memory.database,
      onEvent: (message) => effects.info(message),
    });
    for (const note of llm.notes) effects.info(`rfsn: ${note}`);
    report = await runRepairSession({
      ...settings,
      // Only the operator (the workflow's input) may let repository code run unsandboxed, never the repository.
      sandbox: { ...settings.sandbox, allowUnsandboxed: inputs.allowUnsandboxed },
      projectDir: context.workspace,
      includeUncommitted: false,
      ...(inputs.testCommand ? { testCommand: inputs.testCommand } : {}),
      ...(inputs.maxIterations ? { maxIterations: inputs.maxIterations } : {}),
      ...(inputs.timeBudgetMinutes ? { timeBudgetMs: inputs.timeBudgetMinutes * 60_000 } : {}),
      protectedPaths: [...(settings.protectedPaths ?? []), ...inputs.protectedPaths],
      memory: memory.memory,
      proposers: llm.create(),
      audit,
      onProgress: (message) => effects.info(message),
      reportExtra: {
        trigger: inputs.trigger,
        repository: {
          owner: context.owner,
          name: context.repo,
          ...(inputs.ref ? { ref: inputs.ref } : {}),
          sha: failingCommit,
        },
        links: { run: runUrl },
        ...(llm.notes.length > 0 ? { notes: llm.notes } : {}),
      },
    });
  } finally {
    memory.close();
  }

  const artifactFiles = repairArtifactFiles(report, failingCommit, context.runId);
  const { uploadArtifact } = effects;
  if (uploadArtifact) {
    const dir = join(context.tempDir, `rfsn-repair-${context.runId}`);
    await mkdir(dir, { recursive: true });
    const paths: string[] = [];
    for (const [name, bytes] of artifactFiles) {
      const path = join(dir, name);
      await writeFile(path, bytes);
      paths.push(path);
    }
    try {
      await uploadArtifact(ARTIFACT_NAME, paths, dir);
      audit.append("artifact", { name: ARTIFACT_NAME, failingCommit });
    } catch (error) {
      if (options.uploadRequired)
        throw new ArtifactUploadError(
          `uploading the ${ARTIFACT_NAME} artifact failed: ${(error as Error).message}`,
        );
      effects.warning(`uploading the ${ARTIFACT_NAME} artifact failed: ${(error as Error).message}`);
    }
  } else if (options.uploadRequired) {
    throw new ArtifactUploadError(
      `cannot upload the ${ARTIFACT_NAME} artifact outside a GitHub Actions job (ACTIONS_RUNTIME_TOKEN is not set)`,
    );
  }

  if (inputs.memoryCache && effects.saveCache) {
    const { saveCache } = effects;
    await bestEffort(effects, "saving the outcome memory", () =>
      saveCache([memoryPath], `${cacheKey}-${context.runId}`),
    );
  }
  return { report, failingCommit, artifactFiles, auditPath };
}
