import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { CacheTier, LlmTelemetry } from "../../src/repair/proposers/llm/llm-telemetry.js";
import { MemoryLru } from "../../src/repair/proposers/llm/memory-lru.js";
import { responseCacheKey, TieredResponseCache } from "../../src/repair/proposers/llm/response-cache.js";
import type { LlmCompletion, LlmRequest } from "../../src/runtime/llm/llm-client.js";
import { openDatabase } from "../../src/store/database.js";
import { LlmResponseCache } from "../../src/store/llm-cache.js";

function countingTelemetry() {
  const counts = { memory: 0, sqlite: 0, misses: 0, size: 0 };
  const telemetry: LlmTelemetry = {
    call() {},
    tokens() {},
    error() {},
    cacheHit(tier: CacheTier) {
      counts[tier] += 1;
    },
    cacheMiss() {
      counts.misses += 1;
    },
    cacheSize(bytes) {
      counts.size = bytes;
    },
  };
  return { telemetry, counts };
}

const completion = (text: string): LlmCompletion => ({ text, inputTokens: 10, outputTokens: 5, model: "m" });
const request: LlmRequest = {
  system: "s",
  messages: [{ role: "user", content: "fix it" }],
  maxTokens: 100,
  temperature: 0,
};
const endpoint = { provider: "openai" as const, baseUrl: "http://127.0.0.1:1/v1", model: "m" };

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("the cache key", () => {
  it("changes with the provider, model, parameters and prompt, and is stable otherwise", () => {
    const key = responseCacheKey(endpoint, request);
    expect(responseCacheKey(endpoint, { ...request })).toBe(key);
    expect(responseCacheKey({ ...endpoint, provider: "anthropic" }, request)).not.toBe(key);
    expect(responseCacheKey({ ...endpoint, model: "n" }, request)).not.toBe(key);
    expect(responseCacheKey(endpoint, { ...request, temperature: 0.3 })).not.toBe(key);
    expect(
      responseCacheKey(endpoint, { ...request, messages: [{ role: "user", content: "fix it!" }] }),
    ).not.toBe(key);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("the in-memory LRU", () => {
  it("evicts the least recently used entry when over its entry or byte bound", () => {
    const lru = new MemoryLru<string>({ maxEntries: 2, maxBytes: 100 });
    lru.set("a", "A", 10, 1_000);
    lru.set("b", "B", 10, 1_000);
    expect(lru.get("a", 0)).toBe("A");
    lru.set("c", "C", 10, 1_000);
    expect(lru.get("b", 0)).toBeUndefined();
    expect(lru.get("a", 0)).toBe("A");
    lru.set("d", "D", 95, 1_000);
    expect(lru.size).toBe(1);
    expect(lru.totalBytes).toBe(95);
    lru.set("e", "E", 500, 1_000);
    expect(lru.get("e", 0)).toBeUndefined();
  });

  it("expires entries at their time to live", () => {
    const lru = new MemoryLru<string>({ maxEntries: 5, maxBytes: 100 });
    lru.set("a", "A", 10, 50);
    expect(lru.get("a", 49)).toBe("A");
    expect(lru.get("a", 50)).toBeUndefined();
    expect(lru.totalBytes).toBe(0);
  });
});

describe("the two-tier response cache", () => {
  it("answers from memory first, then from SQLite after a restart, counting hits by tier and misses", () => {
    const dir = mkdtempSync(join(tmpdir(), "rfsn-llm-cache-"));
    dirs.push(dir);
    const path = join(dir, "rfsn.db");
    let now = 1_000;
    const clock = () => now;
    const first = countingTelemetry();
    const database = openDatabase(path);
    const cache = new TieredResponseCache({
      sqlite: new LlmResponseCache(database),
      clock,
      telemetry: first.telemetry,
      ttlMs: 10_000,
    });
    const key = responseCacheKey(endpoint, request);
    expect(cache.get(key)).toBeUndefined();
    cache.set(key, completion("answer"));
    expect(cache.get(key)).toEqual({ completion: completion("answer"), tier: "memory" });
    expect(first.counts).toMatchObject({ memory: 1, misses: 1 });
    expect(first.counts.size).toBeGreaterThan(0);
    database.close();

    const second = countingTelemetry();
    const reopened = openDatabase(path);
    const restarted = new TieredResponseCache({
      sqlite: new LlmResponseCache(reopened),
      clock,
      telemetry: second.telemetry,
      ttlMs: 10_000,
    });
    expect(restarted.get(key)?.tier).toBe("sqlite");
    expect(restarted.get(key)?.tier).toBe("memory");
    now += 10_001;
    expect(restarted.get(key)).toBeUndefined();
    expect(second.counts).toMatchObject({ sqlite: 1, memory: 1, misses: 1 });
    reopened.close();
  });

  it("keeps the SQLite tier within its size limit by evicting old entries", () => {
    const database = openDatabase(":memory:");
    const sqlite = new LlmResponseCache(database);
    let now = 0;
    const cache = new TieredResponseCache({
      sqlite,
      clock: () => ++now,
      telemetry: countingTelemetry().telemetry,
      sqliteMaxBytes: 2_000,
      memoryMaxEntries: 0,
    });
    for (let i = 0; i < 20; i += 1) cache.set(`key-${i}`, completion("x".repeat(300)));
    expect(sqlite.totalBytes()).toBeLessThanOrEqual(2_000);
    expect(cache.get("key-19")?.tier).toBe("sqlite");
    expect(cache.get("key-0")).toBeUndefined();
    database.close();
  });

  it("turns a failing SQLite tier off instead of failing the repair", () => {
    const database = openDatabase(":memory:");
    const cache = new TieredResponseCache({
      sqlite: new LlmResponseCache(database),
      clock: () => 1,
      telemetry: countingTelemetry().telemetry,
    });
    database.close();
    cache.set("k", completion("still works"));
    expect(cache.get("k")?.completion.text).toBe("still works");
    expect(cache.sqliteProblem).toBeTruthy();
  });

  it("treats a corrupted stored value as a miss", () => {
    const database = openDatabase(":memory:");
    const sqlite = new LlmResponseCache(database);
    sqlite.set("k", "{not json", 1_000, 0);
    const cache = new TieredResponseCache({
      sqlite,
      clock: () => 1,
      telemetry: countingTelemetry().telemetry,
    });
    expect(cache.get("k")).toBeUndefined();
    database.close();
  });
});
