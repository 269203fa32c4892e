// Runs the repair engine over a corpus of known bugs and judges each result: correct, plausible or failed.

import { existsSync } from "node:fs";
import { cp, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCommandLine } from "../core/command-line.js";
import type { RepairReport } from "../core/report.js";
import { applyPatchToDirectory } from "../runtime/repository-transfer.js";
import { createTestRunner } from "../runtime/test-runners/index.js";
import type { OutcomeMemory } from "../store/outcome-memory.js";
import type { CorpusBug } from "./benchmark-corpus.js";
import { runRepairSession } from "./session.js";
import type { SessionProposer } from "./session-proposer.js";

export type BenchOutcome = "correct" | "plausible" | "failed";

export interface BenchBugResult {
  id: string;
  language: string;
  defectClass: string;
  outcome: BenchOutcome;
  repairOutcome: RepairReport["outcome"];
  candidatesTried: number;
  testRuns: number;
  durationMs: number;
  /** From the start to the first plausible patch (the session may look on for a second one to compare). */
  timeToPlausibleMs?: number;
  suiteRunMs: number;
  operator: string | null;
  overBudget: boolean;
}

export interface BenchOptions {
  timeBudgetMs: number;
  jobs?: number;
  memory?: OutcomeMemory;
  /** A node_modules folder linked into JavaScript and TypeScript projects so their test tools resolve. */
  nodeModulesDir?: string;
  onProgress?: (message: string) => void;
  /** On-demand proposers for this bug's session (e.g. a fresh LLM proposer with its own budget). */
  proposers?: SessionProposer[];
}

async function copyProject(bug: CorpusBug, nodeModulesDir: string | undefined): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `rfsn-bench-${bug.id}-`));
  await cp(bug.projectDir, dir, { recursive: true });
  if (bug.language !== "python" && nodeModulesDir && existsSync(nodeModulesDir)) {
    await symlink(nodeModulesDir, join(dir, "node_modules"), "dir");
  }
  return dir;
}

/** A buggy suite still running after this long hangs: the yardstick comes from the fixed project instead. */
const SUITE_YARDSTICK_TIMEOUT_MS = 30_000;

/**
 * One plain run of the whole suite, the yardstick for "time as a multiple of one test run". A suite that hangs on the
 * bug has no such time: then one run of the suite with the known fix applied (in a copy of its own) stands in.
 */
async function measureSuiteRun(
  bug: CorpusBug,
  dir: string,
  nodeModulesDir: string | undefined,
): Promise<number> {
  const { argv, env } = parseCommandLine(bug.testCommand);
  const timed = async (projectDir: string) =>
    createTestRunner({ projectDir, argv, env }).run({
      cwd: projectDir,
      timeoutMs: SUITE_YARDSTICK_TIMEOUT_MS,
    });
  const run = await timed(dir);
  const fixPath = join(bug.dir, "fix.patch");
  if (!run.timedOut || !existsSync(fixPath)) return run.durationMs;
  const fixedDir = await copyProject(bug, nodeModulesDir);
  try {
    await applyPatchToDirectory(fixedDir, await readFile(fixPath, "utf8"));
    const fixed = await timed(fixedDir);
    return fixed.timedOut ? run.durationMs : fixed.durationMs;
  } catch {
    return run.durationMs;
  } finally {
    await rm(fixedDir, { recursive: true, force: true });
  }
}

async function passesHiddenTests(
  bug: CorpusBug,
  diff: string,
  nodeModulesDir: string | undefined,
): Promise<boolean> {
  const dir = await copyProject(bug, nodeModulesDir);
  try {
    await applyPatchToDirectory(dir, diff).catch(async () => {
      throw new Error("the patch does not apply to a fresh copy");
    });
    if (existsSync(bug.hiddenDir)) await cp(bug.hiddenDir, dir, { recursive: true });
    const { argv, env } = parseCommandLine(bug.testCommand);
    const runner = createTestRunner({ projectDir: dir, argv, env });
    const run = await runner.run({ cwd: dir, timeoutMs: 120_000 });
    return !run.timedOut && run.exitCode === 0 && run.tests.every((test) => test.status !== "failed");
  } catch {
    return false;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function benchmarkBug(bug: CorpusBug, options: BenchOptions): Promise<BenchBugResult> {
  const dir = await copyProject(bug, options.nodeModulesDir);
  try {
    const suiteRunMs = await measureSuiteRun(bug, dir, options.nodeModulesDir);
    const report = await runRepairSession({
      projectDir: dir,
      testCommand: bug.testCommand,
      timeBudgetMs: options.timeBudgetMs,
      ...(options.jobs ? { jobs: options.jobs } : {}),
      ...(options.memory ? { memory: options.memory } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.proposers ? { proposers: options.proposers } : {}),
    });
    let outcome: BenchOutcome = "failed";
    if (report.outcome === "fixed" && report.patch) {
      outcome = (await passesHiddenTests(bug, report.patch.diff, options.nodeModulesDir))
        ? "correct"
        : "plausible";
    }
    return {
      id: bug.id,
      language: bug.language,
      defectClass: bug.defectClass,
      outcome,
      repairOutcome: report.outcome,
      candidatesTried: report.candidates.tried,
      testRuns: report.testRuns,
      durationMs: report.durationMs,
      ...(report.timeToPlausibleMs !== undefined ? { timeToPlausibleMs: report.timeToPlausibleMs } : {}),
      suiteRunMs,
      operator: report.patch?.operator ?? null,
      overBudget: report.durationMs > options.timeBudgetMs,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface BenchTotals {
  bugs: number;
  correct: number;
  plausible: number;
  failed: number;
  plausibleRate: number;
  correctRate: number;
  medianRunsToPlausible: number | null;
  candidatesTried: number;
  durationMs: number;
  overBudget: number;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? null)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export function benchTotals(results: readonly BenchBugResult[]): BenchTotals {
  const correct = results.filter((r) => r.outcome === "correct").length;
  const plausible = results.filter((r) => r.outcome !== "failed").length;
  const fixed = results.filter((r) => r.outcome !== "failed" && r.suiteRunMs > 0);
  const ratio = (n: number) => (results.length ? Number((n / results.length).toFixed(3)) : 0);
  const runs = median(fixed.map((r) => (r.timeToPlausibleMs ?? r.durationMs) / r.suiteRunMs));
  return {
    bugs: results.length,
    correct,
    plausible,
    failed: results.length - plausible,
    plausibleRate: ratio(plausible),
    correctRate: ratio(correct),
    medianRunsToPlausible: runs === null ? null : Number(runs.toFixed(2)),
    candidatesTried: results.reduce((sum, r) => sum + r.candidatesTried, 0),
    durationMs: results.reduce((sum, r) => sum + r.durationMs, 0),
    overBudget: results.filter((r) => r.overBudget).length,
  };
}
