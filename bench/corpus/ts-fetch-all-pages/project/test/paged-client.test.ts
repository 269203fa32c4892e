import { describe, expect, it } from "vitest";
import { fetchAllPages, pagesFrom, TooManyPagesError } from "../src/paged-client.js";

describe("fetchAllPages", () => {
  it("returns a single page", async () => {
    expect(await fetchAllPages(pagesFrom([[1, 2]]))).toEqual([1, 2]);
  });

  it("follows page tokens to the end", async () => {
    expect(await fetchAllPages(pagesFrom([[1, 2], [3], [4, 5]]))).toEqual([1, 2, 3, 4, 5]);
  });

  it("gives up on endless listings", async () => {
    const endless = async () => ({ items: [0], nextToken: "again" });
    await expect(fetchAllPages(endless)).rejects.toBeInstanceOf(TooManyPagesError);
  });
});
