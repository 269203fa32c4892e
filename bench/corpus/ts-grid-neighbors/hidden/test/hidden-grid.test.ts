import { describe, expect, it } from "vitest";
import { floodFill, neighbors, parseGrid } from "../src/grid.js";

describe("rectangular boards", () => {
  it("fills a whole wide room", () => {
    expect(floodFill(parseGrid("......\n......"), { row: 1, col: 5 })).toBe(12);
  });

  it("tall boards do not reach outside their columns", () => {
    const grid = parseGrid(".\n.\n.\n.");
    expect(neighbors(grid, { row: 2, col: 0 })).toEqual([
      { row: 1, col: 0 },
      { row: 3, col: 0 },
    ]);
  });
});
