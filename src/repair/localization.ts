// Fault localization for a session: gathers evidence (frames, coverage, recent commits) and names enclosing functions.
import { compareText } from "../core/compare-text.js";

import { editableSourcePredicate } from "../core/source-paths.js";
import { type PooledCoverage, rankSuspiciousLines, type TestCoverage } from "../core/suspiciousness.js";
import type { RankedLocation, TestCaseResult } from "../core/types.js";
import { changedLinesInRecentCommits } from "../runtime/git.js";
import { type LanguageParser, languageOfPath, loadLanguageParser } from "../runtime/tree-sitter.js";
import { locationsReferencedByTests } from "./test-references.js";

export interface LocalizationInput {
  /** Directory whose files match the base state (a pristine worktree). */
  dir: string;
  /** The user's repository, for commit history; absent for snapshots without history. */
  historyDir?: string;
  failing: readonly TestCaseResult[];
  passing: readonly TestCaseResult[];
  coverage?: TestCoverage;
  pooledCoverage?: PooledCoverage;
  readSource: (file: string) => Promise<string | undefined>;
  recentCommits?: number;
  limit?: number;
  /** The repository's extra protected globs: files the gate refuses to edit are not ranked. */
  protectedPaths?: readonly string[];
}

/** Lines with nothing a repair could change (braces, comments, blank). */
const INERT_LINE = /^\s*(?:[{}()[\];,]*|else\s*[{:]?|\}\s*else\s*\{?|(?:\/\/|#|\/\*|\*).*|"""|''')\s*$/;
/** Function and class headers: rarely the fault (a default value can be), so they rank below the body. */
const HEADER_LINE = /^\s*(?:export\s+)?(?:default\s+)?(?:async\s+)?(?:function\b|def\s|class\s)/;

/** Drops inert lines and halves the score of header lines, keeping the ranking order otherwise. */
function weighByLineContent(
  ranked: RankedLocation[],
  sources: ReadonlyMap<string, string>,
): RankedLocation[] {
  const lines = new Map<string, string[]>();
  const textOf = (file: string, line: number) => {
    if (!lines.has(file)) lines.set(file, (sources.get(file) ?? "").split("\n"));
    return lines.get(file)?.[line - 1];
  };
  return ranked
    .filter((location) => {
      const text = textOf(location.file, location.startLine);
      return text === undefined || !INERT_LINE.test(text);
    })
    .map((location) => {
      const text = textOf(location.file, location.startLine) ?? "";
      return HEADER_LINE.test(text)
        ? { ...location, score: Number((location.score / 2).toFixed(4)) }
        : location;
    })
    .sort((a, b) => b.score - a.score || compareText(a.file, b.file) || a.startLine - b.startLine);
}

const FUNCTION_NODE_TYPES = new Set([
  "function_definition",
  "function_declaration",
  "function_expression",
  "arrow_function",
  "method_definition",
  "generator_function_declaration",
]);

interface SyntaxNodeLike {
  type: string;
  startPosition: { row: number };
  endPosition: { row: number };
  childForFieldName(name: string): { text: string } | null;
  parent: SyntaxNodeLike | null;
}

const LOOP_NODE_TYPES = new Set(["while_statement", "for_statement", "for_in_statement", "do_statement"]);

/** Whether a line is a loop's header, inside a loop's body (within its function), or neither. */
function loopPart(
  root: SyntaxNodeLike & { descendantForPosition(p: { row: number; column: number }): SyntaxNodeLike | null },
  line: number,
  source: string,
): "header" | "body" | null {
  const row = line - 1;
  const lineText = source.split("\n")[row] ?? "";
  const column = Math.max(0, lineText.search(/\S/));
  for (let node = root.descendantForPosition({ row, column }); node; node = node.parent) {
    if (FUNCTION_NODE_TYPES.has(node.type)) return null;
    if (LOOP_NODE_TYPES.has(node.type)) return node.startPosition.row === row ? "header" : "body";
  }
  return null;
}

/** A hang (a test that never finished) most likely loops: loop headers and loop bodies weigh this much more. */
const HANG_LOOP_HEADER_WEIGHT = 1.6;
const HANG_LOOP_BODY_WEIGHT = 1.25;

/** Whether every failing test failed by not finishing in time (a hang, not an assertion). */
function failedByHanging(failing: readonly TestCaseResult[]): boolean {
  return failing.length > 0 && failing.every((test) => /did not finish within/.test(test.message ?? ""));
}

function enclosingFunction(
  root: SyntaxNodeLike & { descendantForPosition(p: { row: number; column: number }): SyntaxNodeLike | null },
  line: number,
  source: string,
) {
  const row = line - 1;
  const lineText = source.split("\n")[row] ?? "";
  const column = Math.max(0, lineText.search(/\S/));
  let node = root.descendantForPosition({ row, column });
  while (node) {
    if (FUNCTION_NODE_TYPES.has(node.type)) {
      const name = node.childForFieldName("name")?.text ?? node.parent?.childForFieldName("name")?.text;
      return { name, startLine: node.startPosition.row + 1, endLine: node.endPosition.row + 1 };
    }
    node = node.parent;
  }
  return undefined;
}

/** Ranks suspicious lines and fills in each line's enclosing function from the syntax tree. */
export async function localizeFault(input: LocalizationInput): Promise<RankedLocation[]> {
  let recentChanges: Map<string, Set<number>> | undefined;
  if (input.historyDir) {
    try {
      recentChanges = await changedLinesInRecentCommits(input.historyDir, input.recentCommits ?? 3);
    } catch {
      recentChanges = undefined;
    }
  }
  const isEditable = editableSourcePredicate(input.protectedPaths ?? []);
  let ranked = rankSuspiciousLines(
    {
      failing: input.failing,
      passing: input.passing,
      ...(input.coverage ? { coverage: input.coverage } : {}),
      ...(input.pooledCoverage ? { pooledCoverage: input.pooledCoverage } : {}),
      ...(recentChanges ? { recentChanges } : {}),
      isProjectSource: isEditable,
    },
    input.limit ?? 30,
  );

  // Without frames or coverage in project code (e.g. an assertion under a transpiling runner), fall back to the
  // functions the failing tests call.
  if ((ranked[0]?.score ?? 0) < 0.1) {
    const known = new Set(ranked.map((location) => `${location.file}:${location.startLine}`));
    const referenced = await locationsReferencedByTests({
      failing: input.failing,
      readSource: input.readSource,
    });
    ranked = [
      ...ranked,
      ...referenced.filter(
        (location) => isEditable(location.file) && !known.has(`${location.file}:${location.startLine}`),
      ),
    ]
      .sort((a, b) => b.score - a.score)
      .slice(0, input.limit ?? 30);
  }

  const hang = failedByHanging(input.failing);
  const parsers = new Map<string, LanguageParser>();
  const parsedTrees: Array<{ delete(): void }> = [];
  const trees = new Map<string, { root: unknown; source: string } | null>();
  for (const location of ranked) {
    if (!trees.has(location.file)) {
      const language = languageOfPath(location.file);
      const source = language ? await input.readSource(location.file) : undefined;
      if (!language || source === undefined) {
        trees.set(location.file, null);
      } else {
        const parser = parsers.get(language) ?? (await loadLanguageParser(language));
        parsers.set(language, parser);
        const tree = parser.parse(source);
        parsedTrees.push(tree);
        trees.set(location.file, { root: tree.rootNode, source });
      }
    }
    const tree = trees.get(location.file);
    if (!tree) continue;
    const found = enclosingFunction(
      tree.root as Parameters<typeof enclosingFunction>[0],
      location.startLine,
      tree.source,
    );
    if (found?.name && !location.functionName) location.functionName = found.name;
    if (hang) {
      const part = loopPart(tree.root as Parameters<typeof loopPart>[0], location.startLine, tree.source);
      if (part) {
        const weight = part === "header" ? HANG_LOOP_HEADER_WEIGHT : HANG_LOOP_BODY_WEIGHT;
        location.score = Number((location.score * weight).toFixed(4));
        location.reasons = [
          ...location.reasons,
          `the failing tests hang: ${part === "header" ? "a loop header" : "inside a loop"}`,
        ];
      }
    }
  }
  for (const tree of parsedTrees) tree.delete();
  const sources = new Map<string, string>();
  for (const [file, tree] of trees) if (tree) sources.set(file, tree.source);
  return weighByLineContent(
    ranked.filter((location) => trees.get(location.file) !== null),
    sources,
  );
}
