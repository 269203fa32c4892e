// A rectangular game board: neighbour lookup, flood fill and rendering.

export type Cell = "." | "#";

export interface Point {
  row: number;
  col: number;
}

const STEPS: Point[] = [
  { row: -1, col: 0 },
  { row: 1, col: 0 },
  { row: 0, col: -1 },
  { row: 0, col: 1 },
];

export function parseGrid(text: string): Cell[][] {
  return text
    .trim()
    .split("\n")
    .map((line) => [...line.trim()] as Cell[]);
}

export function neighbors(grid: Cell[][], point: Point): Point[] {
  const rows = grid.length;
  const cols = grid[0]?.length ?? 0;
  return STEPS.map((step) => ({ row: point.row + step.row, col: point.col + step.col })).filter(
    (p) => p.row >= 0 && p.row < rows && p.col >= 0 && p.col < rows,
  );
}

export function floodFill(grid: Cell[][], start: Point): number {
  const seen = new Set<string>();
  const queue: Point[] = [start];
  while (queue.length > 0) {
    const point = queue.shift() as Point;
    const key = `${point.row},${point.col}`;
    if (seen.has(key) || grid[point.row]?.[point.col] !== ".") continue;
    seen.add(key);
    queue.push(...neighbors(grid, point));
  }
  return seen.size;
}

export function render(grid: Cell[][]): string {
  return grid.map((row) => row.join("")).join("\n");
}
