// Converts V8 precise coverage (NODE_V8_COVERAGE files: block ranges by source offset) into executed lines per project file.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { isProjectSourcePath } from "../../core/source-paths.js";
import { projectRelativePath } from "./stack-frames.js";
import type { LineRunCounts } from "./types.js";

export interface V8CoverageRange {
  startOffset: number;
  endOffset: number;
  count: number;
}

export interface V8ScriptCoverage {
  url: string;
  functions: { functionName?: string; ranges: V8CoverageRange[] }[];
}

/**
 * How often each line (1-based) of `source` ran: every character takes the count of the narrowest range around it
 * (ranges are applied from the widest to the narrowest, so an inner range overrides the one around it), and a line
 * takes the count of its first non-blank character (a loop header counts the loop's runs, not its body's), or the
 * highest count on it when that one never ran; a line whose first character no range covers counts 0 (in coverage
 * cut by `v8.takeCoverage`, only functions that ran since the last cut are reported). Lines without code are left out.
 */
export function lineRunCounts(source: string, functions: V8ScriptCoverage["functions"]): Map<number, number> {
  // -1: no range covers the character.
  const counts = new Float64Array(source.length).fill(-1);
  const ranges = functions.flatMap((fn) => fn.ranges);
  ranges.sort(
    (a, b) => b.endOffset - b.startOffset - (a.endOffset - a.startOffset) || a.startOffset - b.startOffset,
  );
  for (const range of ranges) {
    const start = Math.max(0, range.startOffset);
    const end = Math.min(source.length, range.endOffset);
    if (end > start) counts.fill(range.count, start, end);
  }
  const lines = new Map<number, number>();
  let line = 1;
  let first: number | null = null;
  let highest = -1;
  const endLine = () => {
    if (first !== null) lines.set(line, first > 0 ? first : first === 0 ? Math.max(0, highest) : 0);
    line += 1;
    first = null;
    highest = -1;
  };
  for (let index = 0; index < source.length; index += 1) {
    const char = source.charCodeAt(index);
    if (char === 10) endLine();
    else if (char !== 32 && char !== 9 && char !== 13) {
      const count = counts[index] ?? -1;
      if (first === null) first = count;
      highest = Math.max(highest, count);
    }
  }
  if (first !== null) endLine();
  return lines;
}

/** The lines of a file's run counts (see `lineRunCounts`) that ran at all. */
export function linesThatRan(counts: ReadonlyMap<number, number>): Set<number> {
  const lines = new Set<number>();
  for (const [line, count] of counts) if (count > 0) lines.add(line);
  return lines;
}

function isScriptCoverageList(value: unknown): value is { result: V8ScriptCoverage[] } {
  return Boolean(value && typeof value === "object" && Array.isArray((value as { result?: unknown }).result));
}

/**
 * Line run counts of each of the named coverage files in `dir` (files that do not parse are left out), reading each
 * project source once.
 */
export async function readV8CoverageFiles(
  dir: string,
  root: string,
  names: readonly string[],
): Promise<Map<string, LineRunCounts>> {
  const byCoverageFile = new Map<string, LineRunCounts>();
  const sources = new Map<string, string | undefined>();
  for (const name of names) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(join(dir, name), "utf8"));
    } catch {
      continue;
    }
    if (!isScriptCoverageList(parsed)) continue;
    const counts: LineRunCounts = new Map();
    for (const script of parsed.result) {
      if (!script.url.startsWith("file://") && !script.url.startsWith("/")) continue;
      const relativePath = projectRelativePath(script.url, root);
      if (!isProjectSourcePath(relativePath)) continue;
      if (!sources.has(relativePath)) {
        sources.set(relativePath, await readFile(join(root, relativePath), "utf8").catch(() => undefined));
      }
      const source = sources.get(relativePath);
      if (source === undefined) continue;
      addCounts(counts, relativePath, lineRunCounts(source, script.functions));
    }
    byCoverageFile.set(name, counts);
  }
  return byCoverageFile;
}

function addCounts(target: LineRunCounts, file: string, counts: ReadonlyMap<number, number>): void {
  const lines = target.get(file) ?? new Map<number, number>();
  for (const [line, count] of counts) lines.set(line, (lines.get(line) ?? 0) + count);
  target.set(file, lines);
}

/** Line run counts summed over several coverage files. */
export function mergeLineRunCounts(parts: Iterable<LineRunCounts>): LineRunCounts {
  const merged: LineRunCounts = new Map();
  for (const counts of parts) for (const [file, lines] of counts) addCounts(merged, file, lines);
  return merged;
}

/** The names of the coverage files in `dir` (none when it does not exist). */
export async function coverageFileNames(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith(".json"));
}

/** How often each line of each project source file (relative to `root`) ran, summed over every coverage file in `dir`. */
export async function readV8LineCounts(dir: string, root: string): Promise<LineRunCounts> {
  return mergeLineRunCounts((await readV8CoverageFiles(dir, root, await coverageFileNames(dir))).values());
}

/** Executed lines of project source files (relative to `root`) from every coverage file in `dir`, merged. */
export async function readV8CoverageDirectory(dir: string, root: string): Promise<Map<string, Set<number>>> {
  const executed = new Map<string, Set<number>>();
  for (const [file, counts] of await readV8LineCounts(dir, root)) executed.set(file, linesThatRan(counts));
  return executed;
}
