// What the LLM proposer reports to metrics (calls, tokens, latency, errors, cache tiers), as an interface tests can observe.
import { metrics } from "../../../observability/metrics.js";

export type CacheTier = "memory" | "sqlite";

export interface LlmTelemetry {
  /** One finished request; `status` is `ok` or the failure kind. */
  call(model: string, status: string, latencySeconds: number): void;
  tokens(model: string, type: "input" | "output", count: number): void;
  error(): void;
  cacheHit(tier: CacheTier): void;
  cacheMiss(): void;
  cacheSize(bytes: number): void;
}

/** Telemetry into the Prometheus registry (`rfsn_llm_*` and `rfsn_cache_*`). */
export const PROMETHEUS_TELEMETRY: LlmTelemetry = {
  call(model, status, latencySeconds) {
    metrics.llmCalls.inc({ model, status });
    metrics.llmLatency.observe({ model }, latencySeconds);
  },
  tokens(model, type, count) {
    metrics.llmTokens.inc({ model, type }, count);
  },
  error() {
    metrics.llmErrors.inc();
  },
  cacheHit(tier) {
    metrics.cacheHits.inc({ tier });
  },
  cacheMiss() {
    metrics.cacheMisses.inc();
  },
  cacheSize(bytes) {
    metrics.cacheSize.set(bytes);
  },
};
