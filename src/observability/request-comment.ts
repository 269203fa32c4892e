// Renders the one sticky comment of a repair request in each state (queued, running, result, cancelled, not started).
import type { RepairReport } from "../core/report.js";
import { clip, codeFence, codeSpan, details, escapeText, link } from "./markdown-text.js";
import { figuresSection, headlineSection, phasesSection } from "./report-sections.js";

/** GitHub refuses comments over 65,536 characters; the diff is clipped so that the whole comment stays below this. */
const REQUEST_COMMENT_LIMIT = 60_000;
const DIFF_LIMIT = 40_000;

export type RequestCommentState =
  | {
      kind: "queued";
      requestId: string;
      trigger: string;
      /** The failing commit the repair will start from. */
      commit: string;
      requestedBy: string | null;
    }
  | { kind: "running"; requestId: string; commit: string; runUrl: string | null }
  | {
      kind: "result";
      requestId: string;
      report: RepairReport;
      /** The fix pull request, when one was opened. */
      pullRequestUrl: string | null;
    }
  | { kind: "cancelled"; requestId: string; cancelledBy: string }
  | { kind: "not_started"; requestId: string; reason: string };

/**
 * The hidden marker that identifies a request's comment, so that each state replaces the previous one. It is the
 * marker the Action's publisher upserts its summary under (`summaryMarker` in src/action/run.ts), so a result
 * published by the Action also lands in this one comment.
 */
export function requestCommentMarker(requestId: string): string {
  return `<!-- rfsn:summary request=${requestId.replace(/[^A-Za-z0-9_.:-]/g, "_")} -->`;
}

function shortSha(sha: string): string {
  return codeSpan(sha.slice(0, 7));
}

/** The outcome line, then exactly two lines: what was done (or why not), and where to go next. */
function resultBody(report: RepairReport, pullRequestUrl: string | null): string[] {
  const patch = report.patch;
  const outcome = headlineSection(report).split("\n\n")[0] ?? "";
  const what = patch
    ? `Patch ${codeSpan(patch.operator)}${patch.location ? ` at ${codeSpan(`${patch.location.file}:${patch.location.startLine}`)}` : ""}: ${escapeText(patch.rationale)}`
    : `${escapeText(report.outcomeReason.trim() || "No patch was found.")} (${report.candidates.tried} candidate patch(es) tried, ${report.candidates.generated} generated)`;
  const next = pullRequestUrl
    ? `Review and merge ${link("the fix pull request", pullRequestUrl)}.`
    : report.links?.run
      ? `Details: ${link("the workflow run", report.links.run)}.`
      : "No pull request was opened.";
  const sections = [outcome, `${what}  \n${next}`];
  if (patch) sections.push(codeFence(clip(patch.diff, DIFF_LIMIT), "diff"));
  const inner = [figuresSection(report), phasesSection(report)].filter(
    (section): section is string => section !== null,
  );
  sections.push(details("Figures and phase chart", inner.join("\n\n")));
  return sections;
}

function bodyOf(state: RequestCommentState): string[] {
  const id = codeSpan(state.requestId);
  switch (state.kind) {
    case "queued":
      return [
        `⏳ **Repair queued** — request ${id} (${escapeText(state.trigger)}) on commit ${shortSha(state.commit)}.`,
        `${state.requestedBy ? `Asked by @\u200b${escapeText(state.requestedBy)}. ` : ""}The repository's runner will reproduce the failure, then try patches; this comment is updated as it goes.`,
      ];
    case "running":
      return [
        `🔧 **Repair running** — request ${id} on commit ${shortSha(state.commit)}.`,
        state.runUrl
          ? `Follow it in ${link("the workflow run", state.runUrl)}; this comment shows the result when it ends.`
          : "This comment shows the result when it ends.",
      ];
    case "result":
      return resultBody(state.report, state.pullRequestUrl);
    case "cancelled":
      return [
        `⏹️ **Repair cancelled** — request ${id}.`,
        `Cancelled by @\u200b${escapeText(state.cancelledBy)} with \`/rfsn cancel\`.`,
      ];
    case "not_started":
      return [`🚫 **Repair not started** — request ${id}.`, escapeText(state.reason)];
  }
}

/** The comment body for a request's state, marker first; under GitHub's comment size limit. */
export function renderRequestComment(state: RequestCommentState): string {
  const text = [requestCommentMarker(state.requestId), ...bodyOf(state)].join("\n\n");
  return `${text.slice(0, REQUEST_COMMENT_LIMIT)}\n`;
}
