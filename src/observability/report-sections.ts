// The Markdown sections of a repair report (headline, figures, phases, patch, locations, evidence, attempts, links).
import { compareText } from "../core/compare-text.js";
import {
  llmCacheHits,
  type RepairReport,
  type SearchEnd,
  totalGateRejections,
  totalValidationRejections,
} from "../core/report.js";
import type { RepairOutcome } from "../core/types.js";
import {
  clip,
  codeFence,
  codeSpan,
  details,
  escapeText,
  formatDuration,
  link,
  plural,
  table,
} from "./markdown-text.js";
import { phaseGantt } from "./phase-diagram.js";

/** How much of each long section to show; lowered step by step when a rendering is too long. */
export interface SectionLimits {
  failingTests: number;
  messageChars: number;
  attempts: number;
  patchChars: number;
  locations: number;
  alternatives: number;
}

export const FULL_LIMITS: SectionLimits = {
  failingTests: 20,
  messageChars: 2000,
  attempts: 50,
  patchChars: 40_000,
  locations: 10,
  alternatives: 3,
};

const OUTCOME_BADGE: Record<RepairOutcome, { emoji: string; title: string }> = {
  fixed: { emoji: "✅", title: "Fixed" },
  not_fixed: { emoji: "❌", title: "Not fixed" },
  no_failure: { emoji: "🟢", title: "No failure" },
  flaky: { emoji: "⚠️", title: "Flaky" },
  cannot_run: { emoji: "🚫", title: "Cannot run" },
};

export function reportMarker(report: Pick<RepairReport, "sessionId">): string {
  return `<!-- rfsn:report session=${report.sessionId.replace(/[^A-Za-z0-9_.:-]/g, "_")} -->`;
}

function outcomeSentence(report: RepairReport): string {
  const failing = report.baseline.failing.length;
  switch (report.outcome) {
    case "fixed":
      return `RFSN found a patch that makes ${plural(failing, "failing test")} pass and keeps the ${report.baseline.passingCount} passing ones green.`;
    case "not_fixed":
      return `RFSN tried ${plural(report.candidates.tried, "candidate patch", "candidate patches")} and none made every failing test pass without regressions.`;
    case "no_failure":
      return "The test command passed when RFSN ran it, so there was nothing to repair.";
    case "flaky":
      return "The failure did not reproduce consistently, so RFSN did not patch it.";
    case "cannot_run":
      return "RFSN could not run the test command.";
  }
}

export function headlineSection(report: RepairReport): string {
  const badge = OUTCOME_BADGE[report.outcome];
  const reason = report.outcomeReason.trim();
  return `${badge.emoji} **${badge.title}** — ${escapeText(outcomeSentence(report))}${reason ? `\n\n> ${escapeText(reason)}` : ""}`;
}

function countsByKey(counts: Record<string, number>): string {
  const parts = Object.entries(counts)
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]))
    .map(([key, count]) => `${codeSpan(key)} ${count}`);
  return parts.length > 0 ? parts.join(", ") : "—";
}

/** "full, network closed (another uid, …)": how repository code was isolated. */
export function isolationText(isolation: NonNullable<RepairReport["isolation"]>): string {
  return `${isolation.level}, network ${isolation.network} (${isolation.detail})`;
}

/** Why the search ended, as the figures table says it. */
export const SEARCH_END_TEXT: Record<SearchEnd, string> = {
  fixed: "a plausible patch was found",
  time_budget: "the time budget ran out",
  iteration_cap: "the iteration cap (max_iterations) was reached",
  candidates_exhausted: "every candidate was tried, after widening the search",
};

export function figuresSection(report: RepairReport): string {
  const { candidates } = report;
  const gateRejected = totalGateRejections(report);
  const validationRejected = totalValidationRejections(report);
  const rows: string[][] = [
    ["Duration", formatDuration(report.durationMs)],
    ["Iterations", String(report.iterations)],
    ...(report.searchEnded ? [["Search ended", SEARCH_END_TEXT[report.searchEnded]]] : []),
    ["Candidates generated", String(candidates.generated)],
    ["Accepted by the gate", String(candidates.accepted)],
    [
      "Rejected by the gate",
      `${gateRejected}${gateRejected > 0 ? ` (${countsByKey(candidates.rejectedByGate)})` : ""}`,
    ],
    ["Candidates tried against the tests", String(candidates.tried)],
    [
      "Rejected by the tests",
      `${validationRejected}${validationRejected > 0 ? ` (${countsByKey(candidates.rejectedByValidation)})` : ""}`,
    ],
    ["Plausible patches", String(candidates.plausible)],
    ["Test runs", `${report.testRuns} (${formatDuration(report.testRunMs)})`],
    ["Test command", report.testCommand.length > 0 ? codeSpan(report.testCommand.join(" ")) : "—"],
    ["Runner", escapeText(report.runner)],
  ];
  if (report.isolation) rows.push(["Sandbox", escapeText(isolationText(report.isolation))]);
  for (const span of mergedPhases(report))
    rows.push([`Time in ${span.phase}`, formatDuration(span.durationMs)]);
  if (report.llm) {
    const llm = report.llm;
    rows.push(
      ["LLM", `${escapeText(llm.provider)} ${codeSpan(llm.model)}`],
      ["LLM calls (cache hits)", `${llm.calls} (${llmCacheHits(llm)})`],
      ["LLM tokens in / out", `${llm.inputTokens} / ${llm.outputTokens}`],
      ["LLM cost", `$${llm.costUsd.toFixed(4)}`],
    );
  }
  for (const note of report.notes ?? []) rows.push(["Note", escapeText(note)]);
  return `### Figures\n\n${table(["Measure", "Value"], rows)}`;
}

function mergedPhases(report: RepairReport): Array<{ phase: string; durationMs: number }> {
  const totals = new Map<string, number>();
  for (const span of report.phases) totals.set(span.phase, (totals.get(span.phase) ?? 0) + span.durationMs);
  return [...totals].map(([phase, durationMs]) => ({ phase, durationMs }));
}

export function phasesSection(report: RepairReport): string | null {
  const gantt = phaseGantt(report);
  return gantt ? `### Phases\n\n${codeFence(gantt, "mermaid")}` : null;
}

export function patchSection(report: RepairReport, limits: SectionLimits, open = false): string | null {
  const patch = report.patch;
  if (!patch) return null;
  const diff = clip(patch.diff, limits.patchChars);
  const files = patch.files.map((file) => codeSpan(file)).join(", ");
  const where = patch.location ? ` at ${codeSpan(`${patch.location.file}:${patch.location.startLine}`)}` : "";
  const summary = `Patch: ${patch.operator} in ${patch.files.join(", ") || "?"}`;
  const body = `${escapeText(patch.rationale)} (operator ${codeSpan(patch.operator)}${where}; ${files || "no files"})\n\n${codeFence(diff, "diff")}`;
  return details(summary, body, open);
}

export function locationsSection(report: RepairReport, limits: SectionLimits): string | null {
  const shown = report.locations.slice(0, limits.locations);
  if (shown.length === 0) return null;
  const rows = shown.map((location, index) => [
    String(index + 1),
    codeSpan(
      `${location.file}:${location.startLine}${location.endLine !== location.startLine ? `-${location.endLine}` : ""}`,
    ),
    location.functionName ? codeSpan(location.functionName) : "—",
    location.score.toFixed(3),
    escapeText(location.reasons.join("; ")) || "—",
  ]);
  const more =
    report.locations.length > shown.length
      ? `\n\n_${report.locations.length - shown.length} more not shown._`
      : "";
  return details(
    `Where the fault was localized (top ${shown.length})`,
    `${table(["#", "Location", "Function", "Score", "Why"], rows)}${more}`,
  );
}

export function evidenceSection(report: RepairReport, limits: SectionLimits): string | null {
  const failing = report.baseline.failing;
  if (failing.length === 0) return null;
  const shown = failing.slice(0, limits.failingTests);
  const items = shown.map((test) => {
    const where = test.frames[0] ? ` at ${codeSpan(`${test.frames[0].file}:${test.frames[0].line}`)}` : "";
    const head = `- ${codeSpan(test.id)}${where}`;
    if (!test.message || limits.messageChars <= 0) return head;
    const message = codeFence(clip(test.message.trim(), limits.messageChars), "text")
      .split("\n")
      .map((line) => `  ${line}`)
      .join("\n");
    return `${head}\n\n${message}\n`;
  });
  const more =
    failing.length > shown.length
      ? `\n\n_${failing.length - shown.length} more failing tests not shown._`
      : "";
  return details(
    `Evidence: ${plural(failing.length, "failing test")}, ${report.baseline.passingCount} passing`,
    `${items.join("\n")}${more}`,
  );
}

export function attemptsSection(report: RepairReport, limits: SectionLimits): string | null {
  if (report.attempts.length === 0 || limits.attempts <= 0) return null;
  const verdicts = new Map<string, number>();
  for (const attempt of report.attempts)
    verdicts.set(attempt.verdict, (verdicts.get(attempt.verdict) ?? 0) + 1);
  const shown = report.attempts.slice(0, limits.attempts);
  const rows = shown.map((attempt, index) => [
    String(index + 1),
    codeSpan(attempt.operator),
    attempt.file ? codeSpan(attempt.file) : "—",
    codeSpan(attempt.verdict),
    escapeText(attempt.rationale),
  ]);
  const tally = [...verdicts]
    .sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]))
    .map(([verdict, count]) => `${codeSpan(verdict)} ${count}`)
    .join(", ");
  const more =
    report.attempts.length > shown.length
      ? `\n\n_${report.attempts.length - shown.length} more attempts not shown._`
      : "";
  return details(
    `What was tried (${plural(report.attempts.length, "attempt")})`,
    `Verdicts: ${tally}\n\n${table(["#", "Operator", "File", "Verdict", "Rationale"], rows)}${more}`,
  );
}

export function alternativesSection(report: RepairReport, limits: SectionLimits): string | null {
  const shown = report.alternatives.slice(0, limits.alternatives);
  if (shown.length === 0) return null;
  const blocks = shown.map((alternative, index) =>
    details(
      `Alternative ${index + 1}: ${alternative.operator}`,
      `${escapeText(alternative.rationale)}\n\n${codeFence(clip(alternative.diff, Math.floor(limits.patchChars / 4)), "diff")}`,
    ),
  );
  return `### Other plausible patches\n\n${blocks.join("\n\n")}`;
}

export function verificationSection(report: RepairReport): string | null {
  if (!report.patch) return null;
  const failing = report.baseline.failing.length;
  const passing = report.baseline.passingCount;
  const lines = [
    "### How it was verified",
    "",
    table(
      ["Tests", "Before", "After"],
      [
        ["Failing", String(failing), report.outcome === "fixed" ? "0" : "—"],
        ["Passing", String(passing), report.outcome === "fixed" ? String(passing + failing) : "—"],
      ],
    ),
    "",
    `The patch was checked in a separate git worktree: first the failing tests, then the whole suite (${codeSpan(report.testCommand.join(" ") || report.runner)}), ${plural(report.testRuns, "test run")} in all.`,
  ];
  return lines.join("\n");
}

/** The session's events in order (bounded), as a collapsible list. */
export function timelineSection(report: RepairReport, maxEvents = 100): string | null {
  if (report.timeline.length === 0) return null;
  const shown = report.timeline.slice(0, maxEvents);
  const items = shown.map(
    (event) => `- +${formatDuration(event.atMs)} · ${codeSpan(event.phase)} ${escapeText(event.event)}`,
  );
  const more =
    report.timeline.length > shown.length ? `\n- … ${report.timeline.length - shown.length} more events` : "";
  return details(`Timeline (${plural(report.timeline.length, "event")})`, `${items.join("\n")}${more}`);
}

export function linksSection(report: RepairReport): string | null {
  const links = report.links;
  const parts: string[] = [];
  if (links?.run) parts.push(link("workflow run", links.run));
  if (links?.pullRequest) parts.push(link("pull request", links.pullRequest));
  if (links?.audit) parts.push(link("audit log", links.audit));
  const repository = report.repository
    ? ` · ${escapeText(`${report.repository.owner}/${report.repository.name}`)}${report.repository.sha ? `@${codeSpan(report.repository.sha.slice(0, 7))}` : ""}`
    : "";
  const footer = `<sub>RFSN session ${codeSpan(report.sessionId)}${repository}${parts.length > 0 ? ` · ${parts.join(" · ")}` : ""}</sub>`;
  return footer;
}
