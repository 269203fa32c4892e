// A small TTL cache for GET responses, keyed by path and normalized query.

export function normalizeParams(params) {
  return Object.entries(params)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([key, value]) => [key, String(value)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function cacheKey(path, params = {}) {
  const sorted = normalizeParams(params);
  const query = new URLSearchParams(Object.entries(params)).toString();
  return query ? `${path}?${query}` : path;
}

export class ResponseCache {
  #entries = new Map();

  constructor({ ttlMs = 60_000, now = () => Date.now() } = {}) {
    this.ttlMs = ttlMs;
    this.now = now;
  }

  get(path, params) {
    const key = cacheKey(path, params);
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(path, params, value) {
    this.#entries.set(cacheKey(path, params), { value, expires: this.now() + this.ttlMs });
  }

  get size() {
    return this.#entries.size;
  }
}
