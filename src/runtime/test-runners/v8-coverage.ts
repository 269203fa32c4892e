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
 * Lines (1-based) of `source` holding code that ran: ranges with count > 0 minus the nested ranges with count 0.
 * Ranges are applied from the widest to the narrowest, so an inner range overrides the one around it; a line counts
 * when any non-blank character on it ran.
 */
export function executedLines(source: string, functions: V8ScriptCoverage["functions"]): Set<number> {
  const ran = new Uint8Array(source.length);
  const ranges = functions.flatMap((fn) => fn.ranges);
  ranges.sort(
    (a, b) => b.endOffset - b.startOffset - (a.endOffset - a.startOffset) || a.startOffset - b.startOffset,
  );
  for (const range of ranges) {
    const start = Math.max(0, range.startOffset);
    const end = Math.min(source.length, range.endOffset);
    if (end > start) ran.fill(range.count > 0 ? 1 : 0, start, end);
  }
  const lines = new Set<number>();
  let line = 1;
  let lineHasCode = false;
  for (let index = 0; index < source.length; index += 1) {
    const char = source.charCodeAt(index);
    if (char === 10) {
      if (lineHasCode) lines.add(line);
      line += 1;
      lineHasCode = false;
    } else if (!lineHasCode && ran[index] === 1 && char !== 32 && char !== 9 && char !== 13) {
      lineHasCode = true;
    }
  }
  if (lineHasCode) lines.add(line);
  return lines;
}

function isScriptCoverageList(value: unknown): value is { result: V8ScriptCoverage[] } {
  return Boolean(value && typeof value === "object" && Array.isArray((value as { result?: unknown }).result));
}

/** Executed lines of project source files (relative to `root`) from every coverage file in `dir`, merged. */
export async function readV8CoverageDirectory(dir: string, root: string): Promise<Map<string, Set<number>>> {
  const merged = new Map<string, Set<number>>();
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
      const lines = merged.get(relativePath) ?? new Set<number>();
      for (const line of executedLines(source, script.functions)) lines.add(line);
      merged.set(relativePath, lines);
    }
  }
  return merged;
}
