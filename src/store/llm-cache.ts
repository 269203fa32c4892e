// The SQLite tier of the LLM response cache: entries with a time to live, evicted least-recently-used to a size cap.
import { type Database, guardStore } from "./database.js";

interface CacheRow {
  value: string;
  expires_at: number;
}

export class LlmResponseCache {
  private readonly select;
  private readonly touch;
  private readonly remove;
  private readonly upsert;
  private readonly evict;
  private readonly removeExpired;
  private readonly sumBytes;

  constructor(private readonly database: Database) {
    this.select = database.prepare<[string], CacheRow>(
      "SELECT value, expires_at FROM llm_cache WHERE key = ?",
    );
    this.touch = database.prepare<[number, string]>("UPDATE llm_cache SET last_used_at = ? WHERE key = ?");
    this.remove = database.prepare<[string]>("DELETE FROM llm_cache WHERE key = ?");
    this.upsert = database.prepare<[string, string, number, number, number, number]>(
      `INSERT INTO llm_cache (key, value, size_bytes, created_at, expires_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, size_bytes = excluded.size_bytes,
         created_at = excluded.created_at, expires_at = excluded.expires_at, last_used_at = excluded.last_used_at`,
    );
    // Keeps the most recently used entries whose sizes add up to at most the cap; deletes the rest in one statement.
    this.evict = database.prepare<[number]>(
      `DELETE FROM llm_cache WHERE key IN (
         SELECT key FROM (
           SELECT key, SUM(size_bytes) OVER (ORDER BY last_used_at DESC, created_at DESC, key ROWS UNBOUNDED PRECEDING) AS kept
           FROM llm_cache)
         WHERE kept > ?)`,
    );
    this.removeExpired = database.prepare<[number]>("DELETE FROM llm_cache WHERE expires_at <= ?");
    this.sumBytes = database
      .prepare<[], number>("SELECT COALESCE(SUM(size_bytes), 0) FROM llm_cache")
      .pluck();
  }

  /** The cached value, or undefined on a miss; an expired entry is a miss and is deleted. A hit marks the entry used. */
  get(key: string, now: number): string | undefined {
    return guardStore(this.database, "reading", () => {
      const row = this.select.get(key);
      if (!row) return undefined;
      if (row.expires_at <= now) {
        this.remove.run(key);
        return undefined;
      }
      this.touch.run(now, key);
      return row.value;
    });
  }

  /** Stores `value` under `key` until `now + ttlMs` (replacing any earlier entry). */
  set(key: string, value: string, ttlMs: number, now: number): void {
    const size = Buffer.byteLength(key) + Buffer.byteLength(value);
    guardStore(this.database, "writing", () => {
      this.upsert.run(key, value, size, now, now + Math.max(0, ttlMs), now);
    });
  }

  /** Deletes least-recently-used entries until the total size is at most `maxBytes`; returns how many were deleted. */
  evictToSize(maxBytes: number): number {
    return guardStore(this.database, "writing", () => this.evict.run(Math.max(0, maxBytes)).changes);
  }

  /** Deletes every entry expired at `now`; returns how many were deleted. */
  deleteExpired(now: number): number {
    return guardStore(this.database, "writing", () => this.removeExpired.run(now).changes);
  }

  /** Sum of the sizes (key + value, UTF-8 bytes) of all entries. */
  totalBytes(): number {
    return guardStore(this.database, "reading", () => Number(this.sumBytes.get() ?? 0));
  }
}
