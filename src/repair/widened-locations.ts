// Wider places to search once the ranked lines' candidates run out: the whole functions around them, then the other functions of their files.
import type { RankedLocation } from "../core/types.js";
import { loadParserForPath, type SyntaxNode } from "../runtime/tree-sitter.js";
import {
  allNodes,
  endLineOf,
  functionAtLine,
  functionName,
  isFunction,
  lineOf,
} from "./proposers/syntax-nodes.js";

/** A whole-function location scores this share of the best ranked line inside it. */
const ENCLOSING_SHARE = 0.9;
/** Another function of a suspicious file scores this share of the file's best ranked line. */
const SIBLING_SHARE = 0.5;
/** Functions longer than this many lines are searched around their ranked lines only (the operators cap edits). */
const LONGEST_FUNCTION_LINES = 200;

export interface WidenedLocations {
  /** The whole function around each ranked line (one per function, best score first). */
  enclosing: RankedLocation[];
  /** The other functions of the files holding ranked lines, by their file's best score. */
  siblings: RankedLocation[];
}

/** A parsed file: its syntax tree's root, and how to free the tree. */
interface ParsedTree {
  rootNode: SyntaxNode;
  delete(): void;
}

type ParseFile = (file: string, source: string) => Promise<ParsedTree | null>;

/** Parses a file with the grammar its extension names, or null when none does or the parse fails. */
async function parseWithGrammarOfPath(file: string, source: string): Promise<ParsedTree | null> {
  const parser = await loadParserForPath(file).catch(() => null);
  if (!parser) return null;
  try {
    return parser.parse(source);
  } catch {
    return null;
  }
}

function functionLocation(file: string, fn: SyntaxNode, score: number, reason: string): RankedLocation {
  const name = functionName(fn);
  return {
    file,
    startLine: lineOf(fn),
    endLine: endLineOf(fn),
    ...(name ? { functionName: name } : {}),
    score,
    reasons: [reason],
  };
}

/** Whether the function is worth searching as a whole (short enough, more than one line). */
function searchable(fn: SyntaxNode): boolean {
  const lines = endLineOf(fn) - lineOf(fn) + 1;
  return lines > 1 && lines <= LONGEST_FUNCTION_LINES;
}

/**
 * The wider locations of `ranked`: each ranked line's enclosing function as one location, and every other function
 * of the same files. Locations already in `ranked` (same file and lines) are left out.
 */
export async function widenedLocations(
  ranked: readonly RankedLocation[],
  readSource: (file: string) => Promise<string | undefined>,
  parse: ParseFile = parseWithGrammarOfPath,
): Promise<WidenedLocations> {
  const key = (location: Pick<RankedLocation, "file" | "startLine" | "endLine">) =>
    `${location.file}:${location.startLine}-${location.endLine}`;
  const known = new Set(ranked.map(key));
  const enclosing = new Map<string, RankedLocation>();
  const bestInFile = new Map<string, number>();
  const roots = new Map<string, { root: SyntaxNode; source: string } | null>();
  const trees: ParsedTree[] = [];
  try {
    return await collect();
  } finally {
    for (const tree of trees) tree.delete();
  }

  async function collect(): Promise<WidenedLocations> {
    for (const location of ranked) {
      if (!roots.has(location.file)) {
        const source = await readSource(location.file);
        const tree = source === undefined ? null : await parse(location.file, source);
        if (tree) trees.push(tree);
        roots.set(location.file, tree && source !== undefined ? { root: tree.rootNode, source } : null);
      }
      const parsed = roots.get(location.file);
      if (!parsed) continue;
      bestInFile.set(location.file, Math.max(bestInFile.get(location.file) ?? 0, location.score));
      const fn = functionAtLine(parsed.root, parsed.source, location.startLine);
      if (!fn || !searchable(fn)) continue;
      const whole = functionLocation(
        location.file,
        fn,
        location.score * ENCLOSING_SHARE,
        `the whole function around line ${location.startLine}`,
      );
      const wholeKey = key(whole);
      if (known.has(wholeKey)) continue;
      const previous = enclosing.get(wholeKey);
      if (!previous || previous.score < whole.score) enclosing.set(wholeKey, whole);
    }
    const siblings: RankedLocation[] = [];
    for (const [file, parsed] of roots) {
      if (!parsed) continue;
      const score = (bestInFile.get(file) ?? 0) * SIBLING_SHARE;
      for (const node of allNodes(parsed.root)) {
        if (!isFunction(node) || !searchable(node)) continue;
        const location = functionLocation(file, node, score, `another function of ${file}`);
        const locationKey = key(location);
        if (known.has(locationKey) || enclosing.has(locationKey)) continue;
        known.add(locationKey);
        siblings.push(location);
      }
    }
    const byScore = (a: RankedLocation, b: RankedLocation) => b.score - a.score || a.startLine - b.startLine;
    return { enclosing: [...enclosing.values()].sort(byScore), siblings: siblings.sort(byScore) };
  }
}
