// Deterministic repair operators over tree-sitter syntax trees: candidate edits for a suspicious location, and proposals from them.
import { clamp } from "../../core/clamp.js";
import { createUnifiedDiff } from "../../core/diff.js";
import type { FailureHints } from "../../core/failure-hints.js";
import type { Language, OperatorFamily, Proposal, RankedLocation } from "../../core/types.js";
import type { LanguageParser, SyntaxNode } from "../../runtime/tree-sitter.js";
import { addCallOrReturn, recursiveCalls, replaceCalls, wrapCalls } from "./call-mutations.js";
import { editPriority, lineDistance } from "./candidate-ranking.js";
import { addConditionClauses, replaceInitialContainers } from "./clause-and-container-mutations.js";
import { negateConditions } from "./condition-mutations.js";
import {
  type CandidateEdit,
  createOperatorContext,
  locationFunctionName,
  type Operator,
  type PendingEdit,
} from "./edit-context.js";
import { enclosingControlExpressions } from "./expression-shapes.js";
import { addGuards } from "./guard-insertions.js";
import { offByOne, replaceBinaryOperators, swapOperands } from "./operator-mutations.js";
import { ParsedSources } from "./parsed-sources.js";
import { replaceProperties } from "./property-mutations.js";
import { mutateReturns, sliceBounds } from "./return-and-slice-mutations.js";
import { deleteStatements, insertStatements, swapStatements } from "./statement-mutations.js";
import { allNodes, endLineOf, functionAtLine, lineOf } from "./syntax-nodes.js";
import { replaceConstants, replaceIdentifiers } from "./value-mutations.js";

export { FAMILY_WEIGHTS } from "./candidate-ranking.js";
export type { CandidateEdit } from "./edit-context.js";

/** The operator behind each family (the `llm` family is not deterministic and has none). */
export const OPERATORS: Partial<Record<OperatorFamily, Operator>> = {
  binary_operator: replaceBinaryOperators,
  off_by_one: offByOne,
  negate_condition: negateConditions,
  condition_clause: addConditionClauses,
  add_guard: addGuards,
  swap_operands: swapOperands,
  replace_identifier: replaceIdentifiers,
  replace_constant: (context) => {
    replaceConstants(context);
    replaceInitialContainers(context);
  },
  replace_call: replaceCalls,
  wrap_call: wrapCalls,
  mutate_return: mutateReturns,
  add_call_or_return: addCallOrReturn,
  recursive_call: recursiveCalls,
  slice_bounds: sliceBounds,
  swap_statements: swapStatements,
  delete_statement: deleteStatements,
  insert_statement: insertStatements,
  replace_property: replaceProperties,
};

export const DEFAULT_MAX_EDITS = 400;

/** Parses shared by the locations of a file (a session asks for several locations of the same source in a row). */
const parsedSources = new ParsedSources(4);

/**
 * Priority added to the edits of a family the failure points at, near the suspicious lines (where the failure was
 * seen): enough to lead the other edits there.
 */
const FAVOURED_BONUS = 30;
const FAVOURED_WITHIN_LINES = 2;

/** Below this many candidates on a single suspicious line, the operators also look at the whole enclosing function. */
const WIDEN_BELOW = 40;

/** How far (in lines, each way) widening reaches inside a long function; farther edits would rank last anyway. */
const WIDEN_LINES = 20;

export interface CandidateEditInput {
  file: string;
  source: string;
  language: Language;
  location: RankedLocation;
  parser: LanguageParser;
  families?: OperatorFamily[];
  /** What the failure itself suggests: families whose edits rank higher, numbers got instead of expected. */
  hints?: FailureHints;
  maxEdits?: number;
}

/**
 * Candidate rewrites of `file` near `location`, best first, without duplicates. Their syntax is not checked here:
 * nearly all parse, and the gate checks the few a session actually tries.
 */
export function generateCandidateEdits(input: CandidateEditInput): CandidateEdit[] {
  const maxEdits = input.maxEdits ?? DEFAULT_MAX_EDITS;
  if (maxEdits <= 0) return [];
  const { root, fileNodes, numericNames, lastLine } = parsedSources.parse(input.parser, input.source);
  const focusStart = clamp(input.location.startLine, 1, lastLine);
  const focusEnd = clamp(Math.max(input.location.endLine, focusStart), focusStart, lastLine);
  const fn = functionAtLine(root, input.source, focusStart);
  const cache = new Map<string, unknown>();
  const operators = selectedOperators(input.families);
  const pending: PendingEdit[] = [];
  const run = (startLine: number, endLine: number, extra: SyntaxNode[]) => {
    const context = createOperatorContext(
      {
        language: input.language,
        file: input.file,
        source: input.source,
        root,
        fn,
        startLine,
        endLine,
        focusStart,
        focusEnd,
        fileNodes,
        numericNames,
        mismatches: input.hints?.mismatches ?? [],
        cache,
        extraTargets: extra,
      },
      pending,
    );
    for (const operator of operators) operator(context);
  };
  run(focusStart, focusEnd, controlExpressionsAround(root, fn, input.source, focusStart));
  if (fn && focusStart === focusEnd && pending.length < WIDEN_BELOW) {
    run(Math.max(lineOf(fn), focusStart - WIDEN_LINES), Math.min(endLineOf(fn), focusEnd + WIDEN_LINES), []);
  }
  const functionName = locationFunctionName(fn);
  const ranked = pending
    .map((edit) => ({
      edit,
      priority: editPriority({
        family: edit.family,
        bonus:
          edit.bonus +
          (input.hints?.families.includes(edit.family) &&
          lineDistance(edit.line, edit.endLine, focusStart, focusEnd) <= FAVOURED_WITHIN_LINES
            ? FAVOURED_BONUS
            : 0),
        line: edit.line,
        endLine: edit.endLine,
        focusStart,
        focusEnd,
        removedChars: edit.end - edit.start,
        insertedChars: edit.text.length,
      }),
    }))
    .filter(({ edit }) => input.source.slice(edit.start, edit.end) !== edit.text)
    .sort((a, b) => b.priority - a.priority || a.edit.start - b.edit.start);
  const seen = new Set<string>();
  const accepted: CandidateEdit[] = [];
  for (const { edit, priority } of ranked) {
    if (accepted.length >= maxEdits) break;
    const after = input.source.slice(0, edit.start) + edit.text + input.source.slice(edit.end);
    if (seen.has(after)) continue;
    seen.add(after);
    accepted.push({
      family: edit.family,
      file: input.file,
      after,
      location: {
        file: input.file,
        startLine: edit.line,
        endLine: Math.max(edit.line, edit.endLine),
        ...(functionName ? { functionName } : {}),
      },
      rationale: edit.rationale,
      priority,
    });
  }
  return accepted;
}

/** Turns candidate edits into gate-ready proposals (unified diffs against `source`). */
export function operatorProposals(edits: CandidateEdit[], source: string, nextId: () => string): Proposal[] {
  const proposals: Proposal[] = [];
  for (const edit of edits) {
    const diff = createUnifiedDiff(edit.file, source, edit.after);
    if (!diff) continue;
    proposals.push({
      id: nextId(),
      diff,
      intent: "fix_bug",
      phase: "patch",
      origin: "operator",
      operator: edit.family,
      location: edit.location,
      rationale: edit.rationale,
    });
  }
  return proposals;
}

function selectedOperators(families: OperatorFamily[] | undefined): Operator[] {
  const chosen = families ?? (Object.keys(OPERATORS) as OperatorFamily[]);
  const operators: Operator[] = [];
  for (const family of chosen) {
    const operator = OPERATORS[family];
    if (operator && !operators.includes(operator)) operators.push(operator);
  }
  return operators;
}

/** Nodes of the conditions and loop headers that control the first statement on the focus line. */
function controlExpressionsAround(
  root: SyntaxNode,
  fn: SyntaxNode | null,
  source: string,
  line: number,
): SyntaxNode[] {
  const lineText = source.split("\n")[line - 1] ?? "";
  const column = Math.max(0, lineText.search(/\S/));
  const node = root.descendantForPosition({ row: line - 1, column });
  if (!node) return [];
  return enclosingControlExpressions(node, fn).flatMap((expression) => allNodes(expression));
}
