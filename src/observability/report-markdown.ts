// Renders a RepairReport as the PR comment, the job summary, the pull-request body and the terminal summary.
import type { RepairReport } from "../core/report.js";
import { codeSpan, escapeText } from "./markdown-text.js";
import {
  alternativesSection,
  attemptsSection,
  evidenceSection,
  FULL_LIMITS,
  figuresSection,
  headlineSection,
  linksSection,
  locationsSection,
  patchSection,
  phasesSection,
  reportMarker,
  type SectionLimits,
  timelineSection,
  verificationSection,
} from "./report-sections.js";

export { reportMarker } from "./report-sections.js";
export { renderTextSummary } from "./report-text.js";
export {
  type RequestCommentState,
  renderRequestComment,
  requestCommentMarker,
} from "./request-comment.js";

/** GitHub refuses comments and PR bodies over 65,536 characters; stay well below. */
export const COMMENT_LIMIT = 60_000;
/** Job summaries may be up to 1 MiB. */
export const JOB_SUMMARY_LIMIT = 500_000;

/** Ever smaller renderings: shrink the evidence, then the attempts, then the patch, then everything. */
const SHRINK_STEPS: Array<{ limits: SectionLimits; note: string }> = [
  { limits: FULL_LIMITS, note: "" },
  {
    limits: { ...FULL_LIMITS, failingTests: 10, messageChars: 500 },
    note: "evidence shortened",
  },
  {
    limits: { ...FULL_LIMITS, failingTests: 5, messageChars: 200, attempts: 15 },
    note: "evidence and attempts shortened",
  },
  {
    limits: {
      failingTests: 5,
      messageChars: 200,
      attempts: 15,
      patchChars: 15_000,
      locations: 10,
      alternatives: 1,
    },
    note: "evidence, attempts and patch shortened",
  },
  {
    limits: {
      failingTests: 3,
      messageChars: 0,
      attempts: 0,
      patchChars: 4_000,
      locations: 5,
      alternatives: 0,
    },
    note: "most details left out",
  },
];

type SectionPlan = (report: RepairReport, limits: SectionLimits) => Array<string | null>;

function truncationNote(note: string, report: RepairReport): string {
  const where = report.links?.run ? " — the full report is in the workflow run's job summary" : "";
  return `> [!NOTE]\n> This report was shortened to fit on GitHub (${note})${where}.`;
}

/** Renders with the first shrink step that fits `limit`; cuts the last resort hard. */
function renderBounded(report: RepairReport, plan: SectionPlan, limit: number): string {
  for (const step of SHRINK_STEPS) {
    const sections = plan(report, step.limits).filter((section): section is string => section !== null);
    if (step.note) sections.push(truncationNote(step.note, report));
    const text = `${sections.join("\n\n")}\n`;
    if (text.length <= limit) return text;
  }
  const lastStep = SHRINK_STEPS.at(-1) as (typeof SHRINK_STEPS)[number];
  const minimal = plan(report, lastStep.limits)
    .filter((section): section is string => section !== null)
    .slice(0, 3)
    .join("\n\n");
  const note = `\n\n${truncationNote("cut to the headline and figures", report)}\n`;
  return `${minimal.slice(0, Math.max(0, limit - note.length))}${note}`;
}

function commentPlan(report: RepairReport, limits: SectionLimits): Array<string | null> {
  const fixed = report.outcome === "fixed";
  return [
    reportMarker(report),
    headlineSection(report),
    figuresSection(report),
    phasesSection(report),
    patchSection(report, limits),
    locationsSection(report, limits),
    evidenceSection(report, limits),
    fixed ? null : attemptsSection(report, limits),
    linksSection(report),
  ];
}

/** The summary comment posted on the pull request or commit (with a hidden marker for later updates). */
export function renderSummaryComment(report: RepairReport): string {
  return renderBounded(report, commentPlan, COMMENT_LIMIT);
}

/** The same sections for the Actions job summary (`core.summary`), with room for everything tried. */
export function renderJobSummary(report: RepairReport): string {
  const plan: SectionPlan = (r, limits) => [
    `## RFSN repair report`,
    headlineSection(r),
    figuresSection(r),
    phasesSection(r),
    patchSection(r, limits, true),
    locationsSection(r, limits),
    evidenceSection(r, limits),
    attemptsSection(r, { ...limits, attempts: limits.attempts > 0 ? 200 : 0 }),
    alternativesSection(r, limits),
    timelineSection(r, limits.attempts > 0 ? 100 : 0),
    linksSection(r),
  ];
  return renderBounded(report, plan, JOB_SUMMARY_LIMIT);
}

function whatFailed(report: RepairReport): string {
  const failing = report.baseline.failing;
  const names = failing
    .slice(0, 10)
    .map((test) => `- ${codeSpan(test.id)}`)
    .join("\n");
  const more = failing.length > 10 ? `\n- … and ${failing.length - 10} more` : "";
  return `### What failed\n\n${failing.length > 0 ? `${names}${more}` : "No failing test was recorded."}`;
}

function whereLocalized(report: RepairReport): string {
  const location = report.patch?.location ?? report.locations[0];
  if (!location) return "### Where\n\nNo location was ranked.";
  const ranked = report.locations.find(
    (candidate) => candidate.file === location.file && candidate.startLine === location.startLine,
  );
  const inFunction = location.functionName ? ` in ${codeSpan(location.functionName)}` : "";
  const why =
    ranked && ranked.reasons.length > 0 ? ` Ranked because: ${escapeText(ranked.reasons.join("; "))}.` : "";
  return `### Where\n\nThe fault was localized to ${codeSpan(`${location.file}:${location.startLine}`)}${inFunction}.${why}`;
}

/** The body of the repair pull request: what failed, where and why, the patch, how it was verified, what else was tried. */
export function renderPullRequestBody(report: RepairReport): string {
  const plan: SectionPlan = (r, limits) => [
    reportMarker(r),
    headlineSection(r),
    whatFailed(r),
    whereLocalized(r),
    r.patch ? `### The patch\n\n${patchSection(r, limits, true)}` : null,
    verificationSection(r),
    locationsSection(r, limits),
    evidenceSection(r, limits),
    attemptsSection(r, { ...limits, attempts: Math.min(limits.attempts, 20) }),
    alternativesSection(r, limits),
    linksSection(r),
  ];
  return renderBounded(report, plan, COMMENT_LIMIT);
}
