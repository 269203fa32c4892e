// Repairs a fresh copy of examples/quickstart with fixed settings and renders docs/example-report.md from the report.
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exampleReportPage } from "../observability/example-report.js";
import { runRepairSession } from "./session.js";

/** The page's text; the same settings always give the same page (one job, seed 1, no LLM, no outcome memory). */
export async function generateExampleReport(quickstartDir: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "rfsn-example-"));
  try {
    await cp(quickstartDir, dir, { recursive: true });
    const report = await runRepairSession({
      projectDir: dir,
      jobs: 1,
      seed: 1,
      timeBudgetMs: 120_000,
      proposers: [],
    });
    if (report.outcome !== "fixed") {
      throw new Error(
        `the quickstart was not repaired (${report.outcome}: ${report.outcomeReason}); the example cannot be generated`,
      );
    }
    return exampleReportPage(report, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
