// What a repair operator sees (the parsed file, the nodes near the suspicious lines, names in scope) and how it records an edit.
import type { NumberMismatch } from "../../core/failure-hints.js";
import type { Language, OperatorFamily, SourceLocation } from "../../core/types.js";
import type { SyntaxNode } from "../../runtime/tree-sitter.js";
import {
  allNodes,
  declaredNames,
  enclosingFunction,
  endLineOf,
  functionName,
  isFunction,
  lineOf,
  overlapsLines,
  parameterNames,
} from "./syntax-nodes.js";

/** One candidate rewrite of a file. */
export interface CandidateEdit {
  family: OperatorFamily;
  file: string;
  /** The whole new file text. */
  after: string;
  location: SourceLocation;
  /** One line, e.g. "replace `<` with `<=` in `while` condition at line 12". */
  rationale: string;
  /** Higher first. */
  priority: number;
}

/** An edit as an operator states it: replace `source[start, end)` by `text`. */
export interface RawEdit {
  start: number;
  end: number;
  text: string;
  rationale: string;
  /** Operator-specific preference, roughly -20 … +20 (likely fixes up, long shots down). */
  bonus?: number;
  /** The node the edit is about (for its line); defaults to the edited range. */
  anchor?: SyntaxNode;
}

export interface OperatorContext {
  language: Language;
  file: string;
  source: string;
  root: SyntaxNode;
  /** The function enclosing the suspicious lines, or null at module level. */
  fn: SyntaxNode | null;
  /** Lines the operators target (the location, or the widened function range). */
  startLine: number;
  endLine: number;
  /** The location's own lines (for ranking by distance). */
  focusStart: number;
  focusEnd: number;
  /** Nodes (named and anonymous) overlapping the target lines, document order. */
  targets: SyntaxNode[];
  /** Variables visible at the location: parameters and locals of the enclosing functions (innermost first), then module names. */
  variables: string[];
  /** Parameters and locals of the innermost function only, in order of declaration. */
  locals: string[];
  /** Every node in the file (cached walk). */
  fileNodes: SyntaxNode[];
  /** Identifiers the file uses as numbers. */
  numericNames: ReadonlySet<string>;
  /** Numbers the failing tests got instead of the ones they expected. */
  mismatches: readonly NumberMismatch[];
  /** File-level facts computed once per call and shared by every pass (key → value). */
  memo<T>(key: string, compute: () => T): T;
  emit(family: OperatorFamily, edit: RawEdit): void;
}

/** A function that proposes edits of one or more families. */
export type Operator = (context: OperatorContext) => void;

export interface PendingEdit {
  family: OperatorFamily;
  start: number;
  end: number;
  text: string;
  rationale: string;
  bonus: number;
  line: number;
  endLine: number;
}

export interface ContextInput {
  language: Language;
  file: string;
  source: string;
  root: SyntaxNode;
  fn: SyntaxNode | null;
  startLine: number;
  endLine: number;
  focusStart: number;
  focusEnd: number;
  fileNodes: SyntaxNode[];
  numericNames: ReadonlySet<string>;
  /** Numbers the failing tests got instead of the ones they expected. */
  mismatches: readonly NumberMismatch[];
  /** Shared cache behind `memo` (one per file and location). */
  cache: Map<string, unknown>;
  /** Nodes outside the lines that still matter (conditions and loop headers controlling the location). */
  extraTargets?: SyntaxNode[];
}

/** Builds the context for one line range, collecting emitted edits into `sink`. */
export function createOperatorContext(input: ContextInput, sink: PendingEdit[]): OperatorContext {
  const scope = input.fn ?? input.root;
  const targets = allNodes(scope).filter(
    (node) =>
      overlapsLines(node, input.startLine, input.endLine) &&
      !node.equals(scope) &&
      !isContainerOf(node, input),
  );
  const targetIds = new Set(targets.map((node) => node.id));
  for (const extra of input.extraTargets ?? []) {
    if (!targetIds.has(extra.id)) {
      targetIds.add(extra.id);
      targets.push(extra);
    }
  }
  const variables: string[] = [];
  const addNames = (names: string[]) => {
    for (const name of names) if (!variables.includes(name)) variables.push(name);
  };
  for (let fn = input.fn; fn; fn = enclosingFunction(fn))
    addNames([...parameterNames(fn), ...declaredNames(fn)]);
  for (const statement of input.root.namedChildren) {
    if (!isFunction(statement) && !/class|import|function/.test(statement.type))
      addNames(declaredNames(statement));
  }
  const { extraTargets: _extra, cache, ...rest } = input;
  const locals = input.fn ? [...new Set([...parameterNames(input.fn), ...declaredNames(input.fn)])] : [];
  return {
    ...rest,
    targets,
    variables,
    locals,
    memo<T>(key: string, compute: () => T): T {
      if (!cache.has(key)) cache.set(key, compute());
      return cache.get(key) as T;
    },
    emit(family, edit) {
      const anchorLine = edit.anchor ? lineOf(edit.anchor) : lineAt(input.source, edit.start);
      const anchorEnd = edit.anchor
        ? endLineOf(edit.anchor)
        : lineAt(input.source, Math.max(edit.start, edit.end - 1));
      sink.push({
        family,
        start: edit.start,
        end: edit.end,
        text: edit.text,
        rationale: edit.rationale,
        bonus: edit.bonus ?? 0,
        line: anchorLine,
        endLine: anchorEnd,
      });
    },
  };
}

/** Large nodes that merely contain the range (e.g. a class or a whole `if` spanning far beyond it) are not targets. */
function isContainerOf(node: SyntaxNode, input: ContextInput): boolean {
  return (
    lineOf(node) < input.startLine &&
    endLineOf(node) > input.endLine &&
    node.namedChildCount > 0 &&
    node.type !== "binary_expression"
  );
}

export function lineAt(source: string, index: number): number {
  let line = 1;
  for (let i = source.indexOf("\n"); i >= 0 && i < index; i = source.indexOf("\n", i + 1)) line++;
  return line;
}

/** A short rendering of code for rationales (first line, at most 40 characters). */
export function snippet(text: string): string {
  const first = text.split("\n")[0]?.trim() ?? "";
  return first.length > 40 ? `${first.slice(0, 37)}...` : first;
}

/** Name of the function for a SourceLocation. */
export function locationFunctionName(fn: SyntaxNode | null): string | undefined {
  return fn ? (functionName(fn) ?? undefined) : undefined;
}
