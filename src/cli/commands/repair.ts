// `rfsn repair [dir|git-url]`: runs a repair session locally and prints the patch (or JSON), optionally applying it.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { RepairReport } from "../../core/report.js";
import { startMetricsServer } from "../../observability/metrics-server.js";
import { renderTextSummary } from "../../observability/report-markdown.js";
import { loadProjectConfig, sessionSettingsFromConfig } from "../../repair/project-config.js";
import { runRepairSession } from "../../repair/session.js";
import { applyPatchToDirectory, cloneRepository } from "../../runtime/repository-transfer.js";
import { reexecAsRootWhenPossible } from "../../runtime/sandbox/root-reexec.js";
import { openOutcomeMemory } from "../../store/memory-file.js";
import { positiveInteger, UsageError } from "../arguments.js";
import { LLM_FLAG_OPTIONS, LLM_USAGE, llmFlags, llmProposerFactory } from "../llm-flags.js";
import { type CliIo, progressReporter } from "../output.js";

const GIT_URL = /^(https?:\/\/|ssh:\/\/|git@|file:\/\/)|\.git$/;

export const REPAIR_USAGE = `usage: rfsn repair [dir|git-url] [--test "<command>"] [--json] [--apply] [--jobs N]
                   [--max-iterations N] [--time-budget SECONDS] [--metrics-port PORT] [--memory DB | --no-memory]
                   [--allow-unsandboxed]
                   ${LLM_USAGE}`;

/** The `--json` shape: the headline figures first, then the whole report. */
export function repairJson(report: RepairReport): Record<string, unknown> {
  const rejected =
    Object.values(report.candidates.rejectedByGate).reduce((sum, n) => sum + n, 0) +
    Object.values(report.candidates.rejectedByValidation).reduce((sum, n) => sum + n, 0);
  return {
    outcome: report.outcome,
    reason: report.outcomeReason,
    patch: report.patch?.diff ?? "",
    iterations: report.iterations,
    candidatesTried: report.candidates.tried,
    candidatesRejected: rejected,
    testRuns: report.testRuns,
    durationMs: report.durationMs,
    locations: report.locations,
    operator: report.patch?.operator ?? null,
    report,
  };
}

export function exitCodeFor(report: RepairReport): number {
  if (report.outcome === "fixed") return 0;
  if (report.outcome === "cannot_run") return 2;
  return 1;
}

export async function runRepairCommand(args: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    io.stderr(`${(error as Error).message}\n${REPAIR_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  // Not root but passwordless sudo (GitHub-hosted runners): run again as root, so that the tests can be sandboxed.
  const rootExitCode = await reexecAsRootWhenPossible();
  if (rootExitCode !== null) return rootExitCode;
  const target = positionals[0] ?? ".";
  let cloneDir: string | undefined;
  let metricsServer: Awaited<ReturnType<typeof startMetricsServer>> | undefined;
  const memory = values["no-memory"] ? undefined : openOutcomeMemory(values.memory);
  try {
    let projectDir = resolve(target);
    if (GIT_URL.test(target)) {
      cloneDir = await mkdtemp(join(tmpdir(), "rfsn-clone-"));
      io.stderr(`rfsn: cloning ${target}`);
      await cloneRepository(target, cloneDir);
      projectDir = cloneDir;
    }
    const config = await loadProjectConfig(projectDir);
    const metricsPort = positiveInteger(values["metrics-port"], "--metrics-port");
    if (metricsPort) {
      metricsServer = await startMetricsServer({ port: metricsPort });
      io.stderr(`rfsn: metrics at ${metricsServer.url}`);
    }
    const progress = progressReporter();
    const llm = llmProposerFactory(config.llm, llmFlags(values), {
      ...(memory ? { cacheDatabase: memory.database } : {}),
      onEvent: progress.update,
    });
    if (llm.note) io.stderr(`rfsn: ${llm.note}`);
    const timeBudget = positiveInteger(values["time-budget"], "--time-budget");
    const jobs = positiveInteger(values.jobs, "--jobs");
    const maxIterations = positiveInteger(values["max-iterations"], "--max-iterations");
    const settings = sessionSettingsFromConfig(config);
    const report = await runRepairSession({
      ...settings,
      sandbox: {
        ...settings.sandbox,
        ...(values["allow-unsandboxed"] ? { allowUnsandboxed: true } : {}),
        ...(process.env.RFSN_SANDBOX === "off" ? { maxLevel: "none" as const } : {}),
      },
      projectDir,
      ...(values.test ? { testCommand: values.test } : {}),
      ...(jobs ? { jobs } : {}),
      ...(maxIterations ? { maxIterations } : {}),
      ...(timeBudget ? { timeBudgetMs: timeBudget * 1000 } : {}),
      ...(memory ? { memory: memory.memory } : {}),
      proposers: llm.create(),
      onProgress: progress.update,
    });
    progress.done();
    if (values.apply && report.patch && !cloneDir) {
      await applyPatchToDirectory(projectDir, report.patch.diff);
      io.stderr(`rfsn: applied the patch to ${projectDir}`);
    }
    if (values.json) io.stdout(JSON.stringify(repairJson(report)));
    else io.stdout(renderTextSummary(report));
    return exitCodeFor(report);
  } catch (error) {
    io.stderr(`rfsn repair: ${(error as Error).message}`);
    return 2;
  } finally {
    memory?.close();
    await metricsServer?.close();
    if (cloneDir) await rm(cloneDir, { recursive: true, force: true });
  }
}

function parse(args: string[]) {
  const result = parseArgs({
    args,
    allowPositionals: true,
    options: {
      test: { type: "string" },
      json: { type: "boolean" },
      "allow-unsandboxed": { type: "boolean" },
      apply: { type: "boolean" },
      jobs: { type: "string" },
      "max-iterations": { type: "string" },
      "time-budget": { type: "string" },
      "metrics-port": { type: "string" },
      memory: { type: "string" },
      "no-memory": { type: "boolean" },
      ...LLM_FLAG_OPTIONS,
    },
  });
  if (result.positionals.length > 1) throw new UsageError("rfsn repair takes one directory or git URL");
  return result;
}
