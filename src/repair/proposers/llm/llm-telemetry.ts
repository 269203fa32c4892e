// What the LLM proposer reports to metrics (calls, tokens, latency, errors, cache tiers), as an interface tests can observe.

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

/** Telemetry that records nothing. */
export const SILENT_TELEMETRY: LlmTelemetry = {
  call() {},
  tokens() {},
  error() {},
  cacheHit() {},
  cacheMiss() {},
  cacheSize() {},
};
