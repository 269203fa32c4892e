// Mermaid gantt diagram of a repair session's phases, from the report's phase spans.
import type { RepairReport } from "../core/report.js";
import { formatDuration } from "./markdown-text.js";

/**
 * A `gantt` diagram (without the fence) with one bar per phase span, times relative to the session start
 * in milliseconds (`dateFormat x`). Returns null when the report has no phases.
 */
export function phaseGantt(report: Pick<RepairReport, "phases" | "startedAt">): string | null {
  if (report.phases.length === 0) return null;
  const sessionStart = Date.parse(report.startedAt);
  const lines = [
    "gantt",
    "  title Repair phases",
    "  dateFormat x",
    "  axisFormat %M:%S",
    "  section Session",
  ];
  let cursor = 0;
  for (const [index, span] of report.phases.entries()) {
    const spanStart = Date.parse(span.startedAt);
    const relative =
      Number.isFinite(spanStart) && Number.isFinite(sessionStart) ? spanStart - sessionStart : cursor;
    const start = Math.max(0, Math.round(relative));
    const end = start + Math.max(1, Math.round(span.durationMs));
    cursor = end;
    const label = `${span.phase} (${formatDuration(span.durationMs)})`.replace(/[:;#]/g, " ");
    lines.push(`  ${label} :p${index + 1}, ${start}, ${end}`);
  }
  return lines.join("\n");
}
