import { describe, expect, it } from "vitest";
import { LruCache } from "../src/lru-cache.js";

describe("LruCache", () => {
  it("rejects a zero capacity", () => {
    expect(() => new LruCache(0)).toThrow(RangeError);
  });

  it("evicts the oldest entry when full", () => {
    const cache = new LruCache<string, number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    cache.set("c", 3);
    expect(cache.keys()).toEqual(["b", "c"]);
  });

  it("reading a key protects it from eviction", () => {
    const cache = new LruCache<string, number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1);
    cache.set("c", 3);
    expect(cache.keys()).toEqual(["a", "c"]);
  });

  it("counts hits and misses", () => {
    const cache = new LruCache<string, number>(2);
    cache.set("a", 1);
    cache.get("a");
    cache.get("z");
    expect(cache.stats()).toEqual({ hits: 1, misses: 1, size: 1 });
  });
});
