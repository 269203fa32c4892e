import { readFileSync } from "node:fs";
import { join } from "node:path";
import { marked, type Token, type Tokens } from "marked";
import { describe, expect, it } from "vitest";
import {
  emptyGateRejectionCounts,
  emptyRejectionCounts,
  emptyRepairReport,
  emptyValidationRejectionCounts,
  llmCacheHits,
  type RepairReport,
  totalGateRejections,
  totalValidationRejections,
} from "../../src/core/report.js";
import { GATE_REJECTION_TYPES } from "../../src/core/types.js";
import {
  codeFence,
  codeSpan,
  escapeText,
  formatDuration,
  link,
} from "../../src/observability/markdown-text.js";
import {
  COMMENT_LIMIT,
  JOB_SUMMARY_LIMIT,
  renderJobSummary,
  renderPullRequestBody,
  renderSummaryComment,
  renderTextSummary,
} from "../../src/observability/report-markdown.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/report");
const NAMES = ["fixed", "not-fixed", "cannot-run", "with-llm"] as const;

function fixture(name: string): RepairReport {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), "utf8")) as RepairReport;
}

function walk(tokens: Token[], visit: (token: Token) => void): void {
  for (const token of tokens) {
    visit(token);
    const nested = token as { tokens?: Token[]; items?: Token[] };
    if (nested.tokens) walk(nested.tokens, visit);
    if (nested.items) walk(nested.items, visit);
  }
}

function tokensOf(markdown: string): { tables: Tokens.Table[]; code: Tokens.Code[] } {
  const tables: Tokens.Table[] = [];
  const code: Tokens.Code[] = [];
  walk(marked.lexer(markdown), (token) => {
    if (token.type === "table") tables.push(token as Tokens.Table);
    if (token.type === "code") code.push(token as Tokens.Code);
  });
  return { tables, code };
}

function unescapedPipes(line: string): number {
  return [...line.replace(/\\\\/g, "").matchAll(/(?<!\\)\|/g)].length;
}

function expectWellFormedTables(markdown: string, expectedCount: number): void {
  const { tables } = tokensOf(markdown);
  expect(tables.length).toBe(expectedCount);
  for (const table of tables) {
    const columns = table.header.length;
    expect(columns).toBeGreaterThanOrEqual(2);
    for (const row of table.rows) expect(row.length).toBe(columns);
    for (const line of table.raw.trim().split("\n")) expect(unescapedPipes(line)).toBe(columns + 1);
  }
}

function expectValidGantt(markdown: string): void {
  const mermaid = tokensOf(markdown).code.filter((block) => block.lang === "mermaid");
  expect(mermaid).toHaveLength(1);
  const [keyword, ...lines] = (mermaid[0] as Tokens.Code).text.split("\n");
  expect(keyword).toBe("gantt");
  expect(lines.length).toBeGreaterThan(4);
  for (const line of lines) {
    const directive = /^ {2}(title .+|dateFormat x|axisFormat \S+|section \S.*)$/.test(line);
    const task = /^ {2}[^:;#]+ :p\d+, (\d+), (\d+)$/.exec(line);
    expect(directive || task !== null, `mermaid line "${line}"`).toBe(true);
    if (task) expect(Number(task[2])).toBeGreaterThan(Number(task[1]));
  }
}

describe("report helpers", () => {
  it("has a zero count for every gate rejection type and validation rejection", () => {
    expect(Object.keys(emptyGateRejectionCounts())).toEqual([...GATE_REJECTION_TYPES]);
    expect(Object.values(emptyValidationRejectionCounts())).toEqual([0, 0, 0, 0]);
    expect(emptyRejectionCounts().rejectedByGate.duplicate).toBe(0);
  });

  it("sums rejections and reads LLM cache hits under either name", () => {
    const report = fixture("fixed");
    expect(totalGateRejections(report)).toBe(22);
    expect(totalValidationRejections(report)).toBe(6);
    expect(
      llmCacheHits({
        provider: "p",
        model: "m",
        calls: 1,
        inputTokens: 0,
        outputTokens: 0,
        costUsd: 0,
        cachedCalls: 2,
      }),
    ).toBe(2);
    expect(
      llmCacheHits({ provider: "p", model: "m", calls: 1, inputTokens: 0, outputTokens: 0, costUsd: 0 }),
    ).toBe(0);
  });

  it("builds an empty report that renders without sections it has no data for", () => {
    const report = emptyRepairReport({
      sessionId: "s1",
      outcome: "no_failure",
      outcomeReason: "all 3 tests passed",
      startedAt: "2026-11-23T00:00:00.000Z",
    });
    const comment = renderSummaryComment(report);
    expect(comment).toContain("🟢 **No failure**");
    expect(comment).not.toContain("```mermaid");
    expect(comment).not.toContain("<details>");
    expect(renderTextSummary(report)).toContain("RFSN no failure: all 3 tests passed");
  });
});

describe("markdown building blocks", () => {
  it("neutralizes HTML, pipes and mentions in text", () => {
    expect(escapeText("a|b <script> @octocat\nnext")).toBe("a\\|b &lt;script&gt; @\u200boctocat next");
  });

  it("fences code that itself contains backticks", () => {
    expect(codeSpan("a `b` c")).toBe("``a `b` c``");
    expect(codeFence("```js\nx\n```", "md").startsWith("````md\n")).toBe(true);
  });

  it("links only http(s) URLs", () => {
    expect(link("run", "javascript:alert(1)")).toBe("run");
    expect(link("run", "https://x.test/a(b)")).toBe("[run](https://x.test/a%28b%29)");
  });

  it("formats durations for humans", () => {
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(12_340)).toBe("12.3 s");
    expect(formatDuration(245_000)).toBe("4 min 05 s");
    expect(formatDuration(3_720_000)).toBe("1 h 02 min");
    expect(formatDuration(Number.NaN)).toBe("—");
  });
});

describe.each(NAMES)("the %s report", (name) => {
  const report = fixture(name);

  it("renders the summary comment like the snapshot", () => {
    expect(renderSummaryComment(report)).toMatchSnapshot();
  });

  it("renders the pull-request body and the terminal summary like the snapshot", () => {
    expect(renderPullRequestBody(report)).toMatchSnapshot();
    expect(renderTextSummary(report)).toMatchSnapshot();
  });

  it("carries the hidden session marker and the outcome badge", () => {
    const comment = renderSummaryComment(report);
    expect(comment.startsWith(`<!-- rfsn:report session=${report.sessionId} -->\n`)).toBe(true);
    const badge = { fixed: "✅ **Fixed**", not_fixed: "❌ **Not fixed**", cannot_run: "🚫 **Cannot run**" }[
      report.outcome as "fixed"
    ];
    expect(comment).toContain(badge);
  });

  it("parses as Markdown with well-formed tables and a valid mermaid gantt", () => {
    const comment = renderSummaryComment(report);
    const expectedTables =
      1 +
      (report.locations.length > 0 ? 1 : 0) +
      (report.outcome !== "fixed" && report.attempts.length > 0 ? 1 : 0);
    expectWellFormedTables(comment, expectedTables);
    expectValidGantt(comment);
    expectValidGantt(renderJobSummary(report));
  });
});

describe("report contents", () => {
  it("puts the patch in a collapsible diff block and links the run and the pull request", () => {
    const comment = renderSummaryComment(fixture("fixed"));
    expect(comment).toMatch(/<details>\n<summary>Patch: binary_operator in src\/pricing.py<\/summary>/);
    expect(
      tokensOf(comment).code.some(
        (block) => block.lang === "diff" && block.text.includes("+    if total >= 100:"),
      ),
    ).toBe(true);
    expect(comment).toContain("[workflow run](https://github.com/acme/shop/actions/runs/123456)");
    expect(comment).toContain("[pull request](https://github.com/acme/shop/pull/42)");
    expect(comment).not.toContain("What was tried");
  });

  it("lists what was tried when the repair failed", () => {
    const comment = renderSummaryComment(fixture("not-fixed"));
    expect(comment).toContain("What was tried (20 attempts)");
    expect(comment).toContain("`validation:tests_failed` 5");
    expect(comment).not.toContain("<summary>Patch");
  });

  it("says why the search ended when the session searched", () => {
    const report: RepairReport = { ...fixture("not-fixed"), searchEnded: "candidates_exhausted" };
    expect(renderSummaryComment(report)).toContain(
      "| Search ended | every candidate was tried, after widening the search |",
    );
    expect(renderTextSummary({ ...report, searchEnded: "time_budget" })).toContain(
      "search ended: the time budget ran out",
    );
    expect(renderSummaryComment(fixture("not-fixed"))).not.toContain("Search ended");
  });

  it("shows LLM usage when an LLM was used", () => {
    const comment = renderSummaryComment(fixture("with-llm"));
    expect(comment).toContain("| LLM tokens in / out | 5120 / 734 |");
    expect(comment).toContain("| LLM calls (cache hits) | 3 (1) |");
    expect(renderSummaryComment(fixture("fixed"))).not.toContain("LLM tokens");
  });

  it("explains in the pull-request body what failed, where, and how it was verified", () => {
    const body = renderPullRequestBody(fixture("fixed"));
    expect(body).toContain("### What failed");
    expect(body).toContain("`tests/test_pricing.py::test_discount_at_threshold`");
    expect(body).toContain("localized to `src/pricing.py:12` in `discount`");
    expect(body).toContain("| Failing | 2 | 0 |");
    expect(body).toContain("| Passing | 41 | 43 |");
    expect(body).toContain("### Other plausible patches");
  });
});

function giantReport(): RepairReport {
  const base = fixture("not-fixed");
  const bigMessage = "E   AssertionError: values differ\n".repeat(400);
  const bigDiff = `--- a/src/big.py\n+++ b/src/big.py\n@@ -1,3000 +1,3000 @@\n${"-old line that is long enough\n+new line that is long enough\n".repeat(3000)}`;
  return {
    ...base,
    outcome: "fixed",
    baseline: {
      ...base.baseline,
      failing: Array.from({ length: 20 }, (_, index) => ({
        id: `tests/test_big.py::test_case_${index}`,
        name: `test_case_${index}`,
        status: "failed" as const,
        message: bigMessage,
        frames: [{ file: "src/big.py", line: index + 1 }],
      })),
    },
    attempts: Array.from({ length: 200 }, (_, index) => ({
      operator: "replace_constant" as const,
      rationale: `replace constant ${index} ${"with a long explanation ".repeat(10)}`,
      verdict: "validation:tests_failed",
      file: "src/big.py",
    })),
    patch: { diff: bigDiff, operator: "replace_constant", rationale: "big change", files: ["src/big.py"] },
    alternatives: [{ diff: bigDiff, operator: "replace_constant", rationale: "another big change" }],
  };
}

describe("the job summary", () => {
  it("has a title, the open patch, everything tried, the alternatives and the timeline", () => {
    const summary = renderJobSummary(fixture("fixed"));
    expect(summary.startsWith("## RFSN repair report\n")).toBe(true);
    expect(summary).toContain("<details open>\n<summary>Patch: binary_operator");
    expect(summary).toContain("What was tried (4 attempts)");
    expect(summary).toContain("### Other plausible patches");
    expect(summary).toContain("- +4.1 s · `localize` localize started");
    expect(summary).not.toContain("rfsn:report session=");
    expectWellFormedTables(summary, 3);
  });

  it("keeps a giant report within the job summary limit with everything it can", () => {
    const summary = renderJobSummary(giantReport());
    expect(summary.length).toBeLessThanOrEqual(JOB_SUMMARY_LIMIT);
    expect(summary).toContain("What was tried (200 attempts)");
  });
});

describe("bounded output", () => {
  it("keeps a giant report's comment and PR body within GitHub's limit, saying what was shortened", () => {
    const report = giantReport();
    for (const rendered of [renderSummaryComment(report), renderPullRequestBody(report)]) {
      expect(rendered.length).toBeLessThanOrEqual(COMMENT_LIMIT);
      expect(rendered).toContain("This report was shortened to fit on GitHub");
      expect(rendered.startsWith(`<!-- rfsn:report session=${report.sessionId} -->`)).toBe(true);
    }
    expectValidGantt(renderSummaryComment(report));
  });

  it("shrinks the evidence before touching the patch", () => {
    const report = giantReport();
    const mediumDiff = `--- a/src/big.py\n+++ b/src/big.py\n@@ -1,400 +1,400 @@\n${"-old line that is long enough\n+new line that is long enough\n".repeat(400)}`;
    const mediumPatch = {
      ...report,
      patch: {
        diff: mediumDiff,
        operator: "binary_operator" as const,
        rationale: "medium change",
        files: ["src/big.py"],
      },
      alternatives: [],
    };
    const comment = renderSummaryComment(mediumPatch);
    expect(comment.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(comment).toContain("(evidence shortened)");
    expect(comment).toContain(mediumDiff.trimEnd());
  });

  it("cuts even a pathological report to the limit", () => {
    const report = giantReport();
    const hostile = { ...report, outcomeReason: "x".repeat(200_000) };
    const comment = renderSummaryComment(hostile);
    expect(comment.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(comment).toContain("cut to the headline and figures");
  });
});
