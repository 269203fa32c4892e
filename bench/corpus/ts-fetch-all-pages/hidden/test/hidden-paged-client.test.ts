import { describe, expect, it } from "vitest";
import { countItems, fetchAllPages, pagesFrom } from "../src/paged-client.js";

describe("paged counting", () => {
  it("counts across pages", async () => {
    expect(await countItems(pagesFrom([["a", "bb"], ["ccc"], [], ["dd"]]), (s) => s.length === 2)).toBe(2);
  });

  it("separate calls do not share results", async () => {
    const fetcher = pagesFrom([[1], [2]]);
    await fetchAllPages(fetcher);
    expect(await fetchAllPages(fetcher)).toEqual([1, 2]);
  });
});
