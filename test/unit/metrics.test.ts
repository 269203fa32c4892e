import { afterEach, describe, expect, it } from "vitest";
import {
  boundedLabel,
  metricNamesAndLabels,
  metrics,
  metricsContentType,
  metricsRegistry,
  recordSystemInfo,
  renderMetrics,
  statusClass,
} from "../../src/observability/metrics.js";
import { startMetricsServer } from "../../src/observability/metrics-server.js";

const REQUIRED: Record<string, string[]> = {
  rfsn_proposals_total: ["intent", "action_type"],
  rfsn_proposals_rejected_total: ["rejection_type", "phase"],
  rfsn_proposals_accepted_total: [],
  rfsn_repair_duration_seconds: ["le"],
  rfsn_repair_iterations: ["le"],
  rfsn_active_repairs: [],
  rfsn_repair_outcomes_total: ["outcome"],
  rfsn_tests_run_total: ["outcome"],
  rfsn_test_duration_seconds: ["le"],
  rfsn_test_failures_total: [],
  rfsn_cache_hits_total: ["tier"],
  rfsn_cache_misses_total: [],
  rfsn_cache_size_bytes: [],
  rfsn_llm_calls_total: ["model", "status"],
  rfsn_llm_tokens_total: ["model", "type"],
  rfsn_llm_latency_seconds: ["model", "le"],
  rfsn_llm_errors_total: [],
  rfsn_gate_validations_total: [],
  rfsn_gate_rejections_total: [],
  rfsn_system_info: ["version", "node"],
  rfsn_app_webhooks_total: ["event", "action"],
  rfsn_app_decisions_total: ["result"],
  rfsn_app_dispatches_total: ["status"],
  rfsn_github_api_calls_total: ["status"],
};

afterEach(() => {
  metricsRegistry.resetMetrics();
  recordSystemInfo("1.2.3", "20.20.0");
});

describe("the metrics registry", () => {
  it("defines every metric of the system once with its labels", () => {
    const described = new Map(metricNamesAndLabels().map((metric) => [metric.name, metric]));
    for (const [name, labels] of Object.entries(REQUIRED)) {
      expect(described.get(name)?.labels.sort(), name).toEqual([...labels].sort());
    }
    const names = metricNamesAndLabels().map((metric) => metric.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.every((name) => name.startsWith("rfsn_"))).toBe(true);
  });

  it("registers the default process metrics with the rfsn_ prefix", () => {
    const names = metricNamesAndLabels().map((metric) => metric.name);
    expect(names).toContain("rfsn_process_cpu_user_seconds_total");
    expect(names).toContain("rfsn_nodejs_eventloop_lag_seconds");
  });

  it("lists the bucket, sum and count series of histograms", () => {
    const duration = metricNamesAndLabels().find((metric) => metric.name === "rfsn_repair_duration_seconds");
    expect(duration?.series).toEqual([
      "rfsn_repair_duration_seconds",
      "rfsn_repair_duration_seconds_bucket",
      "rfsn_repair_duration_seconds_sum",
      "rfsn_repair_duration_seconds_count",
    ]);
  });

  it("renders recorded values in the Prometheus text format with the requested buckets", async () => {
    metrics.proposals.inc({ intent: "fix_bug", action_type: "binary_operator" });
    metrics.proposalsRejected.inc({ rejection_type: "duplicate", phase: "patch" }, 2);
    metrics.repairDuration.observe(42);
    metrics.repairIterations.observe(4);
    metrics.activeRepairs.inc();
    const text = await renderMetrics();
    expect(text).toContain('rfsn_proposals_total{intent="fix_bug",action_type="binary_operator"} 1');
    expect(text).toContain('rfsn_proposals_rejected_total{rejection_type="duplicate",phase="patch"} 2');
    expect(text).toContain('rfsn_repair_duration_seconds_bucket{le="30"} 0');
    expect(text).toContain('rfsn_repair_duration_seconds_bucket{le="60"} 1');
    expect(text).toContain('rfsn_repair_duration_seconds_bucket{le="600"} 1');
    expect(text).toContain('rfsn_repair_iterations_bucket{le="5"} 1');
    expect(text).toContain('rfsn_repair_iterations_bucket{le="3"} 0');
    expect(text).toContain("rfsn_active_repairs 1");
    expect(text).toContain('rfsn_system_info{version="1.2.3",node="20.20.0"} 1');
  });

  it("keeps exactly one system-info series", async () => {
    recordSystemInfo("9.9.9", "22.0.0");
    const text = await renderMetrics();
    expect(text.match(/^rfsn_system_info\{/gm)).toHaveLength(1);
    expect(text).toContain('version="9.9.9"');
  });

  it("bounds label values", () => {
    expect(boundedLabel("fixed", ["fixed", "not_fixed"])).toBe("fixed");
    expect(boundedLabel("anything else", ["fixed"])).toBe("other");
    expect(boundedLabel("gpt 4 <turbo>")).toBe("gpt_4__turbo_");
    expect(boundedLabel("x".repeat(100))).toHaveLength(64);
    expect(boundedLabel("")).toBe("other");
    expect(statusClass(201)).toBe("2xx");
    expect(statusClass(503)).toBe("5xx");
    expect(statusClass(undefined)).toBe("error");
  });
});

describe("the metrics server", () => {
  it("serves /metrics and /health on 127.0.0.1 and answers 404 elsewhere", async () => {
    metrics.repairOutcomes.inc({ outcome: "fixed" });
    const server = await startMetricsServer({ port: 0 });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const response = await fetch(server.url);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe(metricsContentType);
      expect(await response.text()).toContain('rfsn_repair_outcomes_total{outcome="fixed"} 1');
      expect((await fetch(server.url.replace("/metrics", "/health"))).status).toBe(200);
      expect((await fetch(server.url.replace("/metrics", "/nope"))).status).toBe(404);
      expect((await fetch(server.url, { method: "POST" })).status).toBe(405);
    } finally {
      await server.close();
    }
    await expect(fetch(server.url)).rejects.toThrow();
  });

  it("answers 500 with the reason when rendering fails", async () => {
    const server = await startMetricsServer({
      port: 0,
      render: () => Promise.reject(new Error("registry broke")),
    });
    try {
      const response = await fetch(server.url);
      expect(response.status).toBe(500);
      expect(await response.text()).toContain("registry broke");
    } finally {
      await server.close();
    }
  });

  it("fails to start on a port already in use", async () => {
    const first = await startMetricsServer({ port: 0 });
    try {
      await expect(startMetricsServer({ port: first.port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
