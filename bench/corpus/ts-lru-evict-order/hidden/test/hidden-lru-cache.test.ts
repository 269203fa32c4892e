import { describe, expect, it } from "vitest";
import { LruCache } from "../src/lru-cache.js";

describe("LruCache recency", () => {
  it("orders keys from least to most recently used", () => {
    const cache = new LruCache<number, string>(3);
    cache.set(1, "one");
    cache.set(2, "two");
    cache.set(3, "three");
    cache.get(1);
    cache.get(2);
    expect(cache.keys()).toEqual([3, 1, 2]);
  });
});
