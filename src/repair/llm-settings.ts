// Resolves the LLM proposer's settings from config, flags and environment, and builds the proposer the session consults.
import type { RfsnConfig } from "../core/config/schema.js";
import { ANTHROPIC_DEFAULT_BASE_URL, createAnthropicClient } from "../runtime/llm/anthropic-client.js";
import type { LlmClient, LlmProviderName } from "../runtime/llm/llm-client.js";
import { createOpenAiClient, OPENAI_DEFAULT_BASE_URL } from "../runtime/llm/openai-client.js";
import type { FetchFunction } from "../runtime/llm/provider-options.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "../runtime/llm/request-retry.js";
import { SecretValue } from "../runtime/llm/secret-value.js";
import type { Database } from "../store/database.js";
import { LlmResponseCache } from "../store/llm-cache.js";
import { LlmProposer } from "./proposers/llm/llm-proposer.js";
import { type LlmTelemetry, PROMETHEUS_TELEMETRY } from "./proposers/llm/llm-telemetry.js";
import { priceOf } from "./proposers/llm/price-table.js";
import { TieredResponseCache } from "./proposers/llm/response-cache.js";
import { LlmRunBudget } from "./proposers/llm/run-budget.js";
import type { SessionProposer } from "./session-proposer.js";

export interface LlmSettings {
  provider: LlmProviderName;
  model: string;
  baseUrl: string;
  /** Prints as `[redacted]`; only the SDK sees the key. */
  apiKey: SecretValue;
  maxCalls: number;
  maxTokens: number;
  maxCostUsd: number;
  timeoutMs: number;
}

export interface LlmFlags {
  llm?: "openai" | "anthropic" | "off";
  model?: string;
  baseUrl?: string;
}

export type LlmSettingsResolution =
  | { settings: LlmSettings; reason?: undefined }
  | { settings: null; reason: string };

/** Models used when neither config nor flags name one. */
export const DEFAULT_MODELS: Record<LlmProviderName, string> = {
  openai: "gpt-4.1-mini",
  anthropic: "claude-haiku-4-5",
};

const KEY_VARIABLES: Record<LlmProviderName, string> = {
  openai: "OPENAI_API_KEY",
  anthropic: "ANTHROPIC_API_KEY",
};
const BASE_URL_VARIABLES: Record<LlmProviderName, string> = {
  openai: "OPENAI_BASE_URL",
  anthropic: "ANTHROPIC_BASE_URL",
};
const DEFAULT_BASE_URLS: Record<LlmProviderName, string> = {
  openai: OPENAI_DEFAULT_BASE_URL,
  anthropic: ANTHROPIC_DEFAULT_BASE_URL,
};

/**
 * The settings, or null with a one-line reason for progress output ("LLM off: OPENAI_API_KEY not set").
 * Precedence: flags, then `.github/rfsn.yml`, then the SDKs' environment variables (base URL only), then defaults.
 * Keys come only from the environment.
 */
export function resolveLlmSettings(input: {
  config: RfsnConfig["llm"];
  flags?: LlmFlags;
  env: Record<string, string | undefined>;
}): LlmSettingsResolution {
  const { config, env } = input;
  const flags = input.flags ?? {};
  const chosen = flags.llm ?? config.provider;
  if (chosen === "off") {
    return {
      settings: null,
      reason: flags.llm === "off" ? "LLM off (--llm off)" : "LLM off (llm.provider is off)",
    };
  }
  const provider: LlmProviderName = chosen;
  const key = env[KEY_VARIABLES[provider]]?.trim();
  if (!key) return { settings: null, reason: `LLM off: ${KEY_VARIABLES[provider]} not set` };
  if (config.maxCalls === 0) return { settings: null, reason: "LLM off: llm.max_calls is 0" };
  const baseUrl = (
    flags.baseUrl?.trim() ||
    config.baseUrl.trim() ||
    env[BASE_URL_VARIABLES[provider]]?.trim() ||
    DEFAULT_BASE_URLS[provider]
  ).replace(/\/+$/, "");
  try {
    const url = new URL(baseUrl);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http");
  } catch {
    return {
      settings: null,
      reason: `LLM off: the base URL ${JSON.stringify(baseUrl)} is not an http(s) URL`,
    };
  }
  return {
    settings: {
      provider,
      model: flags.model?.trim() || config.model.trim() || DEFAULT_MODELS[provider],
      baseUrl,
      apiKey: new SecretValue(key),
      maxCalls: config.maxCalls,
      maxTokens: config.maxTokens,
      maxCostUsd: config.maxCostUsd,
      timeoutMs: config.timeoutSeconds * 1000,
    },
  };
}

export interface LlmProposerDependencies {
  /** The RFSN database; its `llm_cache` table is the persistent cache tier. Without it only the memory tier is used. */
  cacheDatabase?: Database;
  clock?: () => number;
  fetch?: FetchFunction;
  telemetry?: LlmTelemetry;
  retry?: Partial<RetryPolicy>;
  onEvent?: (message: string) => void;
  cacheTtlMs?: number;
  /** A client made elsewhere (the RFSN App relay's, keyed by the job's OIDC token); default: one from the settings. */
  client?: LlmClient;
}

export function createLlmClient(
  settings: LlmSettings,
  dependencies: Pick<LlmProposerDependencies, "fetch" | "retry"> = {},
): LlmClient {
  const options = {
    model: settings.model,
    baseUrl: settings.baseUrl,
    apiKey: settings.apiKey,
    timeoutMs: settings.timeoutMs,
    retry: { ...DEFAULT_RETRY_POLICY, ...dependencies.retry },
    ...(dependencies.fetch ? { fetch: dependencies.fetch } : {}),
  };
  return settings.provider === "anthropic" ? createAnthropicClient(options) : createOpenAiClient(options);
}

/** The LLM proposer for one repair session (a fresh budget per call of this function). */
export function createLlmProposer(
  settings: LlmSettings,
  dependencies: LlmProposerDependencies = {},
): LlmProposer & SessionProposer {
  const clock = dependencies.clock ?? Date.now;
  const telemetry = dependencies.telemetry ?? PROMETHEUS_TELEMETRY;
  const cache = new TieredResponseCache({
    ...(dependencies.cacheDatabase ? { sqlite: new LlmResponseCache(dependencies.cacheDatabase) } : {}),
    clock,
    telemetry,
    ...(dependencies.cacheTtlMs !== undefined ? { ttlMs: dependencies.cacheTtlMs } : {}),
  });
  return new LlmProposer({
    client: dependencies.client ?? createLlmClient(settings, dependencies),
    budget: new LlmRunBudget(
      { maxCalls: settings.maxCalls, maxTokens: settings.maxTokens, maxCostUsd: settings.maxCostUsd },
      priceOf(settings.model, settings.baseUrl),
    ),
    telemetry,
    cache,
    clock,
    ...(dependencies.onEvent ? { onEvent: dependencies.onEvent } : {}),
  });
}
