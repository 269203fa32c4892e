import { describe, expect, it } from "vitest";
import { floodFill, neighbors, parseGrid, render } from "../src/grid.js";

describe("grid", () => {
  it("parses and renders round trip", () => {
    expect(render(parseGrid("..#\n#..\n"))).toBe("..#\n#..");
  });

  it("a corner has two neighbours", () => {
    const grid = parseGrid("...\n...\n...");
    expect(neighbors(grid, { row: 0, col: 0 })).toEqual([
      { row: 1, col: 0 },
      { row: 0, col: 1 },
    ]);
  });

  it("a wide board keeps right-hand neighbours", () => {
    const grid = parseGrid(".....");
    expect(neighbors(grid, { row: 0, col: 2 })).toEqual([
      { row: 0, col: 1 },
      { row: 0, col: 3 },
    ]);
  });

  it("flood fill stops at walls", () => {
    expect(floodFill(parseGrid("..#\n.##\n#.."), { row: 0, col: 0 })).toBe(3);
  });
});
