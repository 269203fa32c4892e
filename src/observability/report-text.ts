// Plain-text summary of a RepairReport for the terminal (`rfsn repair` without --json).
import {
  llmCacheHits,
  type RepairReport,
  totalGateRejections,
  totalValidationRejections,
} from "../core/report.js";
import { clip, formatDuration } from "./markdown-text.js";
import { isolationText, SEARCH_END_TEXT } from "./report-sections.js";

export interface TextSummaryOptions {
  /** Include the patch diff (default true). */
  showPatch?: boolean;
}

function indent(text: string, prefix = "    "): string {
  return text
    .split("\n")
    .map((line) => `${prefix}${line}`)
    .join("\n");
}

/** A compact, readable summary: outcome, figures, failing tests, top locations and the patch. */
export function renderTextSummary(report: RepairReport, options: TextSummaryOptions = {}): string {
  const lines: string[] = [];
  lines.push(`RFSN ${report.outcome.replace("_", " ")}: ${report.outcomeReason}`);
  if (report.searchEnded && report.searchEnded !== "fixed")
    lines.push(`  search ended: ${SEARCH_END_TEXT[report.searchEnded]}`);
  const phases = report.phases.map((span) => `${span.phase} ${formatDuration(span.durationMs)}`).join(", ");
  lines.push(
    `  ${formatDuration(report.durationMs)} · ${report.iterations} iterations · ${report.candidates.generated} generated, ` +
      `${totalGateRejections(report)} rejected by the gate, ${report.candidates.tried} tried, ` +
      `${totalValidationRejections(report)} failed the tests, ${report.candidates.plausible} plausible`,
  );
  lines.push(
    `  ${report.testRuns} test runs (${formatDuration(report.testRunMs)}) with ${report.runner}${phases ? ` · ${phases}` : ""}`,
  );
  if (report.isolation) lines.push(`  sandbox: ${isolationText(report.isolation)}`);
  if (report.llm) {
    const llm = report.llm;
    lines.push(
      `  LLM ${llm.provider} ${llm.model}: ${llm.calls} calls (${llmCacheHits(llm)} cached), ` +
        `${llm.inputTokens} in / ${llm.outputTokens} out tokens, $${llm.costUsd.toFixed(4)}`,
    );
  }
  if (report.baseline.failing.length > 0) {
    lines.push(
      "",
      `Failing before (${report.baseline.failing.length}, ${report.baseline.passingCount} passing):`,
    );
    for (const test of report.baseline.failing.slice(0, 10)) {
      const firstLine = test.message?.trim().split("\n")[0] ?? "";
      lines.push(`  - ${test.id}${firstLine ? `: ${clip(firstLine, 160)}` : ""}`);
    }
    if (report.baseline.failing.length > 10) lines.push(`  … ${report.baseline.failing.length - 10} more`);
  }
  if (report.locations.length > 0) {
    lines.push("", "Suspicious locations:");
    for (const [index, location] of report.locations.slice(0, 5).entries()) {
      const reasons = location.reasons.length > 0 ? ` — ${location.reasons.join("; ")}` : "";
      lines.push(
        `  ${index + 1}. ${location.file}:${location.startLine} (${location.score.toFixed(3)})${reasons}`,
      );
    }
  }
  if (report.patch && options.showPatch !== false) {
    lines.push(
      "",
      `Patch (${report.patch.operator}): ${report.patch.rationale}`,
      indent(report.patch.diff.trimEnd(), "  "),
    );
  }
  if (report.links?.pullRequest) lines.push("", `Pull request: ${report.links.pullRequest}`);
  return `${lines.join("\n")}\n`;
}
