// Two-tier LLM response cache: an in-memory LRU in front of the SQLite cache, keyed by a hash of endpoint, parameters and prompt.
import { createHash } from "node:crypto";
import type { LlmCompletion, LlmProviderName, LlmRequest } from "../../../runtime/llm/llm-client.js";
import type { LlmResponseCache } from "../../../store/llm-cache.js";
import type { CacheTier, LlmTelemetry } from "./llm-telemetry.js";
import { MemoryLru } from "./memory-lru.js";

export interface ResponseCacheOptions {
  /** The persistent tier; without it only the memory tier is used. */
  sqlite?: LlmResponseCache;
  clock: () => number;
  telemetry: LlmTelemetry;
  ttlMs?: number;
  memoryMaxEntries?: number;
  memoryMaxBytes?: number;
  sqliteMaxBytes?: number;
}

export const DEFAULT_CACHE_TTL_MS = 7 * 24 * 3_600_000;
export const DEFAULT_MEMORY_MAX_ENTRIES = 256;
export const DEFAULT_MEMORY_MAX_BYTES = 8 * 1024 * 1024;
export const DEFAULT_SQLITE_MAX_BYTES = 64 * 1024 * 1024;

/**
 * The cache key of one request: sha256 over provider, model, parameters and the whole prompt. The endpoint is left out
 * on purpose: the same model asked the same thing through a proxy or another replica may answer from the cache.
 */
export function responseCacheKey(
  endpoint: { provider: LlmProviderName; model: string },
  request: LlmRequest,
): string {
  const material = JSON.stringify([
    "rfsn-llm-v1",
    endpoint.provider,
    endpoint.model,
    request.maxTokens,
    request.temperature,
    request.system,
    request.messages.map((message) => [message.role, message.content]),
  ]);
  return createHash("sha256").update(material).digest("hex");
}

function isCompletion(value: unknown): value is LlmCompletion {
  if (!value || typeof value !== "object") return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.text === "string" &&
    typeof record.inputTokens === "number" &&
    typeof record.outputTokens === "number" &&
    typeof record.model === "string"
  );
}

export class TieredResponseCache {
  private readonly memory: MemoryLru<LlmCompletion>;
  private readonly ttlMs: number;
  private readonly sqliteMaxBytes: number;
  private sqlite: LlmResponseCache | undefined;
  /** Why the SQLite tier was turned off (a store error), if it was. */
  sqliteProblem: string | undefined;

  constructor(private readonly options: ResponseCacheOptions) {
    this.memory = new MemoryLru({
      maxEntries: options.memoryMaxEntries ?? DEFAULT_MEMORY_MAX_ENTRIES,
      maxBytes: options.memoryMaxBytes ?? DEFAULT_MEMORY_MAX_BYTES,
    });
    this.ttlMs = options.ttlMs ?? DEFAULT_CACHE_TTL_MS;
    this.sqliteMaxBytes = options.sqliteMaxBytes ?? DEFAULT_SQLITE_MAX_BYTES;
    this.sqlite = options.sqlite;
  }

  /** The cached completion and the tier that had it, or undefined on a miss. */
  get(key: string): { completion: LlmCompletion; tier: CacheTier } | undefined {
    const now = this.options.clock();
    const inMemory = this.memory.get(key, now);
    if (inMemory) {
      this.options.telemetry.cacheHit("memory");
      return { completion: inMemory, tier: "memory" };
    }
    const stored = this.guard(() => this.sqlite?.get(key, now));
    if (stored !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(stored);
      } catch {
        parsed = undefined;
      }
      if (isCompletion(parsed)) {
        this.memory.set(key, parsed, Buffer.byteLength(stored) + key.length, now + this.ttlMs);
        this.options.telemetry.cacheHit("sqlite");
        this.reportSize();
        return { completion: parsed, tier: "sqlite" };
      }
    }
    this.options.telemetry.cacheMiss();
    return undefined;
  }

  set(key: string, completion: LlmCompletion): void {
    const now = this.options.clock();
    const value = JSON.stringify(completion);
    this.memory.set(key, completion, Buffer.byteLength(value) + key.length, now + this.ttlMs);
    this.guard(() => {
      this.sqlite?.set(key, value, this.ttlMs, now);
      this.sqlite?.evictToSize(this.sqliteMaxBytes);
    });
    this.reportSize();
  }

  /** Bytes held by both tiers. */
  totalBytes(): number {
    return this.memory.totalBytes + (this.guard(() => this.sqlite?.totalBytes()) ?? 0);
  }

  private reportSize(): void {
    this.options.telemetry.cacheSize(this.totalBytes());
  }

  /** A failing SQLite tier (disk full, locked) turns itself off instead of failing the repair. */
  private guard<T>(body: () => T): T | undefined {
    if (!this.sqlite) return undefined;
    try {
      return body();
    } catch (error) {
      this.sqliteProblem = error instanceof Error ? error.message : String(error);
      this.sqlite = undefined;
      return undefined;
    }
  }
}
