// Records a repair session's events in the Prometheus registry: proposals, gate verdicts, test runs, outcomes.
import type { RepairReport } from "../core/report.js";
import type { GateVerdict, Proposal, TestRunResult } from "../core/types.js";
import { metrics } from "../observability/metrics.js";

export const sessionMetrics = {
  sessionStarted(): void {
    metrics.activeRepairs.inc();
  },

  proposal(proposal: Proposal): void {
    metrics.proposals.inc({ intent: proposal.intent, action_type: proposal.operator });
  },

  gateVerdict(verdict: GateVerdict, phase = "patch"): void {
    metrics.gateValidations.inc();
    if (verdict.accepted) {
      metrics.proposalsAccepted.inc();
      return;
    }
    metrics.gateRejections.inc();
    metrics.proposalsRejected.inc({ rejection_type: verdict.type, phase });
  },

  testRun(run: TestRunResult): void {
    const failed = run.tests.filter((test) => test.status === "failed").length;
    const outcome = run.timedOut ? "timeout" : failed > 0 || run.exitCode !== 0 ? "failed" : "passed";
    metrics.testsRun.inc({ outcome });
    metrics.testDuration.observe(run.durationMs / 1000);
    if (failed > 0) metrics.testFailures.inc(failed);
  },

  sessionFinished(report: RepairReport): void {
    metrics.activeRepairs.dec();
    metrics.repairOutcomes.inc({ outcome: report.outcome });
    metrics.repairDuration.observe(report.durationMs / 1000);
    metrics.repairIterations.observe(report.iterations);
  },
};
