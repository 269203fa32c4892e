// A bounded in-memory LRU map (by entry count and by bytes) whose entries expire after a time to live.

interface LruEntry<V> {
  value: V;
  bytes: number;
  expiresAt: number;
}

export interface MemoryLruOptions {
  maxEntries: number;
  maxBytes: number;
}

export class MemoryLru<V> {
  private readonly entries = new Map<string, LruEntry<V>>();
  private bytes = 0;

  constructor(private readonly options: MemoryLruOptions) {}

  /** The value, or undefined when absent or expired at `now` (an expired entry is dropped). A hit becomes the most recent. */
  get(key: string, now: number): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= now) {
      this.bytes -= entry.bytes;
      return undefined;
    }
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Stores `value` (weighing `bytes`) until `expiresAt`, then evicts the least recently used entries over either bound. */
  set(key: string, value: V, bytes: number, expiresAt: number): void {
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.bytes -= previous.bytes;
    }
    if (bytes > this.options.maxBytes || this.options.maxEntries <= 0) return;
    this.entries.set(key, { value, bytes, expiresAt });
    this.bytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.options.maxEntries && this.bytes <= this.options.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }
}
