// renderRequestComment: one marker per request, each state leads with its outcome; the result puts figures in <details>.
import { describe, expect, it } from "vitest";
import { emptyRepairReport } from "../../src/core/report.js";
import { renderRequestComment, requestCommentMarker } from "../../src/observability/report-markdown.js";

const report = (outcome: "fixed" | "not_fixed", diff: string | null) => {
  const value = emptyRepairReport({
    sessionId: "s-9",
    outcome,
    outcomeReason: outcome === "fixed" ? "both failing tests pass" : "no candidate passed",
    startedAt: new Date(0).toISOString(),
  });
  if (diff)
    value.patch = { diff, files: ["src/a.js"], operator: "off_by_one", rationale: "loop bound off by one" };
  return value;
};

describe("renderRequestComment", () => {
  it("starts every state with the same marker, so each body replaces the previous one", () => {
    const bodies = [
      renderRequestComment({
        kind: "queued",
        requestId: "r-1",
        trigger: "comment",
        commit: "b".repeat(40),
        requestedBy: "alice",
      }),
      renderRequestComment({
        kind: "running",
        requestId: "r-1",
        commit: "b".repeat(40),
        runUrl: "https://github.com/o/r/actions/runs/5",
      }),
      renderRequestComment({
        kind: "result",
        requestId: "r-1",
        report: report("fixed", "-a\n+b\n"),
        pullRequestUrl: null,
      }),
      renderRequestComment({ kind: "cancelled", requestId: "r-1", cancelledBy: "mia" }),
    ];
    for (const body of bodies) expect(body.split("\n")[0]).toBe(requestCommentMarker("r-1"));
    expect(bodies[0]).toContain("⏳ **Repair queued**");
    expect(bodies[0]).toContain("`bbbbbbb`");
    expect(bodies[1]).toContain("[the workflow run](https://github.com/o/r/actions/runs/5)");
    expect(bodies[3]).toContain("⏹️ **Repair cancelled**");
  });

  it("leads a result with the outcome, two lines of explanation and the diff, then figures and phases folded away", () => {
    const body = renderRequestComment({
      kind: "result",
      requestId: "r-2",
      report: report("fixed", "--- a/src/a.js\n+++ b/src/a.js\n@@ -1 +1 @@\n-i <= n\n+i < n\n"),
      pullRequestUrl: "https://github.com/o/r/pull/12",
    });
    const [marker, , headline, , explanation] = body.split("\n");
    expect(marker).toBe(requestCommentMarker("r-2"));
    expect(headline).toMatch(/^✅ \*\*Fixed\*\* — /);
    expect(explanation).toContain("loop bound off by one");
    expect(body).toContain("[the fix pull request](https://github.com/o/r/pull/12)");
    const diffAt = body.indexOf("```diff\n--- a/src/a.js");
    const detailsAt = body.indexOf("<details>\n<summary>Figures and phase chart</summary>");
    expect(diffAt).toBeGreaterThan(0);
    expect(detailsAt).toBeGreaterThan(diffAt);
    expect(body.indexOf("### Figures")).toBeGreaterThan(detailsAt);
  });

  it("says what was tried when there is no patch, and neutralizes a mention or HTML in a cancelling login", () => {
    const body = renderRequestComment({
      kind: "result",
      requestId: "r-3",
      report: report("not_fixed", null),
      pullRequestUrl: null,
    });
    expect(body).toContain("❌ **Not fixed**");
    expect(body).toContain("0 candidate patch(es) tried");
    expect(body).not.toContain("```diff");
    const cancelled = renderRequestComment({
      kind: "cancelled",
      requestId: "r-3",
      cancelledBy: "<img src=x>",
    });
    expect(cancelled).not.toContain("<img");
  });
});
