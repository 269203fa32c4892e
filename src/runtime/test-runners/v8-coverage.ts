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

const COVERAGE_FILE_START = '{"result":[';
const SCRIPT_START = '{"scriptId":"';
const URL_KEY = '"url":"';

/** The index just past the JSON string literal that opens at `quote`, or -1 when it never closes. */
function stringEnd(text: string, quote: number): number {
  for (let index = quote + 1; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (char === 92) index += 1;
    else if (char === 34) return index + 1;
  }
  return -1;
}

/** The index just past the JSON object or array that opens at `start`, or -1 when it never closes. */
function valueEnd(text: string, start: number): number {
  let depth = 0;
  for (let index = start; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (char === 34) {
      const end = stringEnd(text, index);
      if (end === -1) return -1;
      index = end - 1;
    } else if (char === 123 || char === 91) depth += 1;
    else if (char === 125 || char === 93) {
      depth -= 1;
      if (depth === 0) return index + 1;
    }
  }
  return -1;
}

/**
 * The scripts of a NODE_V8_COVERAGE file whose url `keep` accepts. Node's own modules make up most of every file
 * (119 of the 121 scripts of a small project's test run), so only the kept scripts are parsed where the file is laid
 * out as node writes it (each script an object starting with its `scriptId`, then its `url`; a raw `"` cannot occur
 * inside a JSON string, so such a start is never inside a value); any other text is parsed whole. Undefined when the
 * text is not a coverage file.
 */
export function keptScriptCoverages(
  text: string,
  keep: (url: string) => boolean,
): V8ScriptCoverage[] | undefined {
  const laidOutByNode =
    text.startsWith(COVERAGE_FILE_START) &&
    (text.startsWith(SCRIPT_START, COVERAGE_FILE_START.length) ||
      text.startsWith("]", COVERAGE_FILE_START.length));
  if (laidOutByNode) {
    try {
      const kept: V8ScriptCoverage[] = [];
      for (let at = text.indexOf(SCRIPT_START); at !== -1; at = text.indexOf(SCRIPT_START, at + 1)) {
        const idEnd = stringEnd(text, at + SCRIPT_START.length - 1);
        if (!text.startsWith(`,${URL_KEY}`, idEnd)) throw new Error("not laid out as node writes it");
        const urlStart = idEnd + 1 + URL_KEY.length - 1;
        const url: unknown = JSON.parse(text.slice(urlStart, stringEnd(text, urlStart)));
        if (typeof url !== "string" || !keep(url)) continue;
        const end = valueEnd(text, at);
        if (end === -1) throw new Error("a script's coverage is cut short");
        kept.push(JSON.parse(text.slice(at, end)) as V8ScriptCoverage);
      }
      return kept;
    } catch {
      // parsed whole below
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isScriptCoverageList(parsed) ? parsed.result.filter((script) => keep(script.url)) : undefined;
}

/** Coverage files read at once (a run with per-test cuts leaves two per test). */
const PARALLEL_READS = 8;

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
  // Each url's project-relative path, or null outside project source; the same scripts recur in every file.
  const projectPaths = new Map<string, string | null>();
  const projectPathOf = (url: string): string | null => {
    let path = projectPaths.get(url);
    if (path === undefined) {
      const relative =
        url.startsWith("file://") || url.startsWith("/") ? projectRelativePath(url, root) : null;
      path = relative !== null && isProjectSourcePath(relative) ? relative : null;
      projectPaths.set(url, path);
    }
    return path;
  };
  const isProjectScript = (url: string) => projectPathOf(url) !== null;
  // Read a few at a time: one by one, every file waits for a round trip to libuv's threads (16 ms for 11 files).
  const texts = new Map<string, Promise<string | undefined>>();
  const read = (index: number) => {
    const name = names[index];
    if (name !== undefined)
      texts.set(
        name,
        readFile(join(dir, name), "utf8").catch(() => undefined),
      );
  };
  for (let index = 0; index < PARALLEL_READS; index += 1) read(index);
  for (const [index, name] of names.entries()) {
    const text = await texts.get(name);
    texts.delete(name);
    read(index + PARALLEL_READS);
    const scripts = text === undefined ? undefined : keptScriptCoverages(text, isProjectScript);
    if (!scripts) continue;
    const counts: LineRunCounts = new Map();
    for (const script of scripts) {
      const relativePath = projectPathOf(script.url);
      if (relativePath === null) continue;
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
