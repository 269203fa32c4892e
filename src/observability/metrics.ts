// The one prom-client registry of RFSN: every metric of the engine, the Action and the App is defined here, once.
import { createRequire } from "node:module";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/*
 * Label values are bounded sets; never put ids, paths, messages or user input in a label.
 *   intent          planner intents (fix_bug, add_guard, …)          action_type  OperatorFamily
 *   rejection_type  GateRejectionType or ValidationRejection         phase        Phase
 *   outcome         RepairOutcome / passed|failed|skipped|error        tier         memory|sqlite
 *   model           the configured model names (a handful)           type         input|output
 *   status          ok|error|cached (LLM), HTTP status class (GitHub, dispatch)
 *   event, action   GitHub webhook event and action names             result       App decision kinds
 * Use `boundedLabel` when a value comes from outside a fixed list.
 */

export const metricsRegistry = new Registry();

collectDefaultMetrics({ register: metricsRegistry, prefix: "rfsn_" });

const registers = [metricsRegistry];

export const metrics = {
  proposals: new Counter({
    name: "rfsn_proposals_total",
    help: "Proposals produced by the proposers, by planner intent and operator family.",
    labelNames: ["intent", "action_type"] as const,
    registers,
  }),
  proposalsRejected: new Counter({
    name: "rfsn_proposals_rejected_total",
    help: "Proposals rejected by the gate or by validation, by rejection type and phase.",
    labelNames: ["rejection_type", "phase"] as const,
    registers,
  }),
  proposalsAccepted: new Counter({
    name: "rfsn_proposals_accepted_total",
    help: "Proposals accepted by the gate.",
    registers,
  }),
  repairDuration: new Histogram({
    name: "rfsn_repair_duration_seconds",
    help: "Wall-clock duration of repair sessions.",
    buckets: [1, 5, 10, 30, 60, 120, 300, 600],
    registers,
  }),
  repairIterations: new Histogram({
    name: "rfsn_repair_iterations",
    help: "Planner iterations per repair session.",
    buckets: [1, 3, 5, 10, 20, 50, 100],
    registers,
  }),
  activeRepairs: new Gauge({
    name: "rfsn_active_repairs",
    help: "Repair sessions running now in this process.",
    registers,
  }),
  repairOutcomes: new Counter({
    name: "rfsn_repair_outcomes_total",
    help: "Finished repair sessions by outcome.",
    labelNames: ["outcome"] as const,
    registers,
  }),
  testsRun: new Counter({
    name: "rfsn_tests_run_total",
    help: "Test-suite runs by outcome (passed, failed, timeout, error).",
    labelNames: ["outcome"] as const,
    registers,
  }),
  testDuration: new Histogram({
    name: "rfsn_test_duration_seconds",
    help: "Duration of test-suite runs.",
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
    registers,
  }),
  testFailures: new Counter({
    name: "rfsn_test_failures_total",
    help: "Individual failing test cases seen across runs.",
    registers,
  }),
  cacheHits: new Counter({
    name: "rfsn_cache_hits_total",
    help: "LLM response cache hits by tier (memory, sqlite).",
    labelNames: ["tier"] as const,
    registers,
  }),
  cacheMisses: new Counter({
    name: "rfsn_cache_misses_total",
    help: "LLM response cache misses.",
    registers,
  }),
  cacheSize: new Gauge({
    name: "rfsn_cache_size_bytes",
    help: "Size of the LLM response cache.",
    registers,
  }),
  llmCalls: new Counter({
    name: "rfsn_llm_calls_total",
    help: "LLM API calls by model and status (ok, error, cached).",
    labelNames: ["model", "status"] as const,
    registers,
  }),
  llmTokens: new Counter({
    name: "rfsn_llm_tokens_total",
    help: "LLM tokens by model and type (input, output).",
    labelNames: ["model", "type"] as const,
    registers,
  }),
  llmLatency: new Histogram({
    name: "rfsn_llm_latency_seconds",
    help: "Latency of LLM API calls.",
    labelNames: ["model"] as const,
    buckets: [0.25, 0.5, 1, 2, 5, 10, 20, 40, 60, 120],
    registers,
  }),
  llmErrors: new Counter({
    name: "rfsn_llm_errors_total",
    help: "LLM API calls that failed after retries.",
    registers,
  }),
  gateValidations: new Counter({
    name: "rfsn_gate_validations_total",
    help: "Proposals checked by the gate.",
    registers,
  }),
  gateRejections: new Counter({
    name: "rfsn_gate_rejections_total",
    help: "Proposals rejected by the gate.",
    registers,
  }),
  systemInfo: new Gauge({
    name: "rfsn_system_info",
    help: "Always 1; labels carry the RFSN and Node.js versions.",
    labelNames: ["version", "node"] as const,
    registers,
  }),
  appWebhooks: new Counter({
    name: "rfsn_app_webhooks_total",
    help: "Webhooks received by the App, by event and action.",
    labelNames: ["event", "action"] as const,
    registers,
  }),
  appDecisions: new Counter({
    name: "rfsn_app_decisions_total",
    help: "What the App decided per webhook (dispatched, ignored_*, refused_*, duplicate, rate_limited, error).",
    labelNames: ["result"] as const,
    registers,
  }),
  appRefusals: new Counter({
    name: "rfsn_app_refusals_total",
    help: "Repairs the App refused to start, by reason (paused, disabled, trigger_off, hourly_pr_cap, attempts_exhausted, rate_limited).",
    labelNames: ["reason"] as const,
    registers,
  }),
  appDispatches: new Counter({
    name: "rfsn_app_dispatches_total",
    help: "workflow_dispatch calls made by the App, by status (ok, error).",
    labelNames: ["status"] as const,
    registers,
  }),
  appWebhookDuration: new Histogram({
    name: "rfsn_app_webhook_duration_seconds",
    help: "Time the App spends handling one webhook.",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  }),
  appQueueDepth: new Gauge({
    name: "rfsn_app_webhook_queue_depth",
    help: "Acknowledged webhooks not yet processed: in the memory queue (waiting or running) or waiting in the journal only.",
    labelNames: ["where"] as const,
    registers,
  }),
  appWebhooksRefused: new Counter({
    name: "rfsn_app_webhooks_refused_total",
    help: "Webhooks answered 503 + retry-after because the memory queue and the journal backlog were full.",
    registers,
  }),
  githubApiCalls: new Counter({
    name: "rfsn_github_api_calls_total",
    help: "GitHub API calls by status class (2xx, 3xx, 4xx, 5xx, error).",
    labelNames: ["status"] as const,
    registers,
  }),
};

export type RfsnMetrics = typeof metrics;

function packageVersion(): string {
  const require = createRequire(import.meta.url);
  for (const path of ["../../package.json", "../../../package.json", "../package.json"]) {
    try {
      const found = require(path) as { name?: string; version?: string };
      if (found.name === "rfsn" && found.version) return found.version;
    } catch {
      // try the next layout (source tree, compiled tree or bundle)
    }
  }
  return "unknown";
}

/** Sets `rfsn_system_info` to 1 for this version (replacing any earlier series). */
export function recordSystemInfo(
  version: string = packageVersion(),
  node: string = process.versions.node,
): void {
  metrics.systemInfo.reset();
  metrics.systemInfo.set({ version: boundedLabel(version), node: boundedLabel(node) }, 1);
}

recordSystemInfo();

/**
 * Keeps a label value bounded: values outside `allowed` (when given) become `fallback`,
 * anything else is cut to 64 characters of `[A-Za-z0-9_.:/-]`.
 */
export function boundedLabel(value: string, allowed?: readonly string[], fallback = "other"): string {
  if (allowed) return allowed.includes(value) ? value : fallback;
  const cleaned = value.replace(/[^A-Za-z0-9_.:/-]/g, "_").slice(0, 64);
  return cleaned === "" ? fallback : cleaned;
}

/** HTTP status as a bounded class label: `2xx`…`5xx`, or `error` when no response came back. */
export function statusClass(status: number | undefined | null): string {
  if (!status || status < 100 || status > 599) return "error";
  return `${Math.floor(status / 100)}xx`;
}

/** The Prometheus text exposition of every metric. */
export function renderMetrics(): Promise<string> {
  return metricsRegistry.metrics();
}

/** Content-Type for `renderMetrics()` output. */
export const metricsContentType: string = metricsRegistry.contentType;

export interface MetricDescription {
  name: string;
  type: string;
  labels: string[];
  /** Series names a query may use (histograms add `_bucket`, `_sum` and `_count`). */
  series: string[];
}

/** Every metric in the registry with its labels and series names (for dashboards and alert checks). */
export function metricNamesAndLabels(): MetricDescription[] {
  return metricsRegistry.getMetricsAsArray().map((metric) => {
    // prom-client keeps label names and type on the metric object without typing them: typed boundary.
    const internal = metric as unknown as { name: string; labelNames?: string[]; type?: string };
    const type = String(internal.type ?? "untyped");
    const labels = [...(internal.labelNames ?? [])];
    const series =
      type === "histogram"
        ? [internal.name, `${internal.name}_bucket`, `${internal.name}_sum`, `${internal.name}_count`]
        : type === "summary"
          ? [internal.name, `${internal.name}_sum`, `${internal.name}_count`]
          : [internal.name];
    if (type === "histogram") labels.push("le");
    if (type === "summary") labels.push("quantile");
    return { name: internal.name, type, labels, series };
  });
}
