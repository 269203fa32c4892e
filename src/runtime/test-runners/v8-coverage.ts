// Converts V8 precise coverage (NODE_V8_COVERAGE files: block ranges by source offset) into executed lines per project file.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { isProjectSourcePath } from "../../core/source-paths.js";
import { projectRelativePath } from "./stack-frames.js";

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
 * highest count on it when that one never ran. Lines without code are left out.
 */
export function lineRunCounts(source: string, functions: V8ScriptCoverage["functions"]): Map<number, number> {
  const counts = new Float64Array(source.length);
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
  let first = -1;
  let highest = -1;
  const endLine = () => {
    if (first >= 0) lines.set(line, first > 0 ? first : highest);
    line += 1;
    first = -1;
    highest = -1;
  };
  for (let index = 0; index < source.length; index += 1) {
    const char = source.charCodeAt(index);
    if (char === 10) endLine();
    else if (char !== 32 && char !== 9 && char !== 13) {
      const count = counts[index] ?? 0;
      if (first < 0) first = count;
      highest = Math.max(highest, count);
    }
  }
  if (first >= 0) endLine();
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

/** How often each line of each project source file (relative to `root`) ran, summed over every coverage file in `dir`. */
export async function readV8LineCounts(dir: string, root: string): Promise<Map<string, Map<number, number>>> {
  const merged = new Map<string, Map<number, number>>();
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith(".json"));
  } catch {
    return merged;
  }
  const sources = new Map<string, string | undefined>();
  for (const name of names) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(join(dir, name), "utf8"));
    } catch {
      continue;
    }
    if (!isScriptCoverageList(parsed)) continue;
    for (const script of parsed.result) {
      if (!script.url.startsWith("file://") && !script.url.startsWith("/")) continue;
      const relativePath = projectRelativePath(script.url, root);
      if (!isProjectSourcePath(relativePath)) continue;
      if (!sources.has(relativePath)) {
        sources.set(relativePath, await readFile(join(root, relativePath), "utf8").catch(() => undefined));
      }
      const source = sources.get(relativePath);
      if (source === undefined) continue;
      const lines = merged.get(relativePath) ?? new Map<number, number>();
      for (const [line, count] of lineRunCounts(source, script.functions))
        lines.set(line, (lines.get(line) ?? 0) + count);
      merged.set(relativePath, lines);
    }
  }
  return merged;
}

/** Executed lines of project source files (relative to `root`) from every coverage file in `dir`, merged. */
export async function readV8CoverageDirectory(dir: string, root: string): Promise<Map<string, Set<number>>> {
  const executed = new Map<string, Set<number>>();
  for (const [file, counts] of await readV8LineCounts(dir, root)) executed.set(file, linesThatRan(counts));
  return executed;
}
