import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { metricNamesAndLabels } from "../../src/observability/metrics.js";

const ROOT = join(import.meta.dirname, "../..");

interface GrafanaPanel {
  type: string;
  title: string;
  targets?: Array<{ expr: string; legendFormat?: string }>;
}

interface AlertRule {
  alert: string;
  expr: string;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
}

/** Every series name the registry exposes, with the labels it may carry. */
function seriesLabels(): Map<string, Set<string>> {
  const known = new Map<string, Set<string>>();
  for (const metric of metricNamesAndLabels()) {
    for (const series of metric.series) known.set(series, new Set(metric.labels));
  }
  return known;
}

const PROMQL_KEYWORDS = new Set([
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "and",
  "or",
  "unless",
  "offset",
  "bool",
]);

interface QueryCheck {
  metrics: string[];
  problems: string[];
}

/** Finds metric names and label uses in a PromQL expression and checks them against the registry. */
function checkQuery(expr: string, known: Map<string, Set<string>>, legend = ""): QueryCheck {
  const problems: string[] = [];
  const metrics = [...expr.matchAll(/\b(rfsn_[a-z0-9_]+)\b/g)].map((match) => match[1] as string);
  for (const name of metrics) if (!known.has(name)) problems.push(`unknown metric ${name}`);
  const usable = new Set<string>();
  for (const name of metrics) for (const label of known.get(name) ?? []) usable.add(label);
  for (const match of expr.matchAll(/\b(rfsn_[a-z0-9_]+)\s*\{([^}]*)\}/g)) {
    const labels = known.get(match[1] as string) ?? new Set<string>();
    for (const matcher of (match[2] as string).matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)) {
      if (!labels.has(matcher[1] as string)) problems.push(`${match[1]} has no label ${matcher[1]}`);
    }
  }
  for (const grouping of expr.matchAll(/\b(?:by|without|on|ignoring)\s*\(([^)]*)\)/g)) {
    for (const label of (grouping[1] as string)
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean)) {
      if (PROMQL_KEYWORDS.has(label) || !usable.has(label))
        problems.push(`grouping label ${label} is not on ${metrics.join(", ")}`);
    }
  }
  for (const template of legend.matchAll(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g)) {
    if (!usable.has(template[1] as string))
      problems.push(`legend label ${template[1]} is not on ${metrics.join(", ")}`);
  }
  return { metrics, problems };
}

function alertTemplateLabels(rule: AlertRule): string[] {
  const texts = [...Object.values(rule.annotations ?? {})];
  return [...texts.join("\n").matchAll(/\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)/g)].map(
    (match) => match[1] as string,
  );
}

describe("the Grafana dashboard", () => {
  const dashboard = JSON.parse(readFileSync(join(ROOT, "deploy/grafana/rfsn.json"), "utf8")) as {
    title: string;
    uid: string;
    schemaVersion: number;
    panels: GrafanaPanel[];
  };
  const known = seriesLabels();

  it("is a Grafana dashboard with titled panels that all have queries", () => {
    expect(dashboard.title).toBe("RFSN");
    expect(dashboard.uid).toMatch(/^[a-z0-9-]+$/);
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    const graphs = dashboard.panels.filter((panel) => panel.type !== "row");
    expect(graphs.length).toBeGreaterThanOrEqual(20);
    for (const panel of graphs) {
      expect(panel.title.length).toBeGreaterThan(0);
      expect(panel.targets?.length ?? 0, panel.title).toBeGreaterThan(0);
    }
  });

  it("uses only metrics and labels defined in the registry", () => {
    const problems: string[] = [];
    for (const panel of dashboard.panels) {
      for (const target of panel.targets ?? []) {
        const check = checkQuery(target.expr, known, target.legendFormat);
        if (check.metrics.length === 0) problems.push(`${panel.title}: no rfsn metric in ${target.expr}`);
        problems.push(...check.problems.map((problem) => `${panel.title}: ${problem}`));
      }
    }
    expect(problems).toEqual([]);
  });

  it("covers outcomes, duration percentiles, gate rejections, tests, cache, LLM, App and GitHub API", () => {
    const queries = dashboard.panels.flatMap((panel) => panel.targets ?? []).map((target) => target.expr);
    const all = queries.join("\n");
    for (const name of [
      "rfsn_repair_outcomes_total",
      "rfsn_proposals_rejected_total",
      "rfsn_proposals_total",
      "rfsn_tests_run_total",
      "rfsn_cache_hits_total",
      "rfsn_llm_calls_total",
      "rfsn_llm_tokens_total",
      "rfsn_app_webhooks_total",
      "rfsn_app_dispatches_total",
      "rfsn_github_api_calls_total",
    ]) {
      expect(all).toContain(name);
    }
    expect(all).toMatch(
      /histogram_quantile\(0\.9, sum by \(le\) \(rate\(rfsn_repair_duration_seconds_bucket/,
    );
  });
});

describe("the Prometheus alerts", () => {
  const rules = parse(readFileSync(join(ROOT, "deploy/prometheus/alerts.yml"), "utf8")) as {
    groups: Array<{ name: string; rules: AlertRule[] }>;
  };
  const known = seriesLabels();
  const allRules = rules.groups.flatMap((group) => group.rules);

  it("has groups of named alerts with severity and a summary", () => {
    expect(rules.groups.length).toBeGreaterThanOrEqual(2);
    const names = allRules.map((rule) => rule.alert);
    expect(new Set(names).size).toBe(names.length);
    for (const expected of [
      "RfsnGateRejectionSpike",
      "RfsnRepairFailureRatioHigh",
      "RfsnLlmErrorRateHigh",
      "RfsnDispatchFailures",
      "RfsnWebhookErrors",
    ]) {
      expect(names).toContain(expected);
    }
    for (const rule of allRules) {
      expect(rule.labels?.severity, rule.alert).toMatch(/^(info|warning|critical)$/);
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
    }
  });

  it("uses only metrics and labels defined in the registry", () => {
    const problems: string[] = [];
    for (const rule of allRules) {
      const check = checkQuery(rule.expr, known);
      if (check.metrics.length === 0) problems.push(`${rule.alert}: no rfsn metric`);
      problems.push(...check.problems.map((problem) => `${rule.alert}: ${problem}`));
      const grouped = new Set(
        [...rule.expr.matchAll(/\bby\s*\(([^)]*)\)/g)].flatMap((match) =>
          (match[1] as string).split(",").map((part) => part.trim()),
        ),
      );
      for (const label of alertTemplateLabels(rule)) {
        if (!grouped.has(label))
          problems.push(`${rule.alert}: annotation uses $labels.${label}, which the expression drops`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("catches a query that uses an unknown metric or label", () => {
    expect(checkQuery("sum by (tier) (rate(rfsn_nope_total[5m]))", known).problems).toContain(
      "unknown metric rfsn_nope_total",
    );
    expect(checkQuery('rfsn_llm_calls_total{provider="x"}', known).problems).toEqual([
      "rfsn_llm_calls_total has no label provider",
    ]);
    expect(
      checkQuery("sum by (le, phase) (rate(rfsn_repair_duration_seconds_bucket[5m]))", known).problems,
    ).toHaveLength(1);
  });
});
