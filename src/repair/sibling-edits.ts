// Repeats a partial fix wherever the file holds the same code: a mistake made twice (copied code) is fixed twice.
import { applyFilePatch, createUnifiedDiff, parseUnifiedDiff } from "../core/diff.js";
import type { QueuedCandidate } from "../core/repair-planner.js";
import { type LanguageParser, loadParserForPath, type SyntaxNode } from "../runtime/tree-sitter.js";
import { allNodes, lineOf } from "./proposers/syntax-nodes.js";

/** More places than this make the code too common to call them copies of one mistake. */
const MAX_SIBLINGS = 4;
/** Only an expression on one line this long at most is looked for elsewhere. */
const MAX_CHANGED_CODE = 120;

const BINARY_TYPES = new Set([
  "binary_expression",
  "binary_operator",
  "comparison_operator",
  "boolean_operator",
]);

export interface SiblingEdit {
  /** The whole new file text: the edit, and the same edit at every sibling. */
  after: string;
  /** 1-based lines of the siblings. */
  lines: number[];
}

interface Replacement {
  start: number;
  end: number;
  text: string;
}

/** Where `before` and `after` differ: the range of `before` replaced, and the text put there. */
function changedRange(before: string, after: string): Replacement {
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before[start] === after[start]) start += 1;
  let tail = 0;
  while (tail < shorter - start && before[before.length - 1 - tail] === after[after.length - 1 - tail])
    tail += 1;
  return { start, end: before.length - tail, text: after.slice(start, after.length - tail) };
}

/** The smallest named node holding the whole range (for an insertion, with text on both sides of it). */
function coveringNode(root: SyntaxNode, start: number, end: number): SyntaxNode | null {
  const outside = (node: SyntaxNode) =>
    start === end
      ? node.startIndex >= start || node.endIndex <= end
      : node.startIndex > start || node.endIndex < end;
  let node = root.namedDescendantForIndex(start, Math.max(start, end - 1));
  while (node && outside(node)) node = node.parent;
  while (node && !node.isNamed) node = node.parent;
  return node;
}

const operands = (node: SyntaxNode) => [
  (node.childForFieldName("left") ?? node.namedChild(0))?.text,
  (node.childForFieldName("right") ?? node.namedChild(1))?.text,
];

/** A binary node's operator token. */
function operatorToken(node: SyntaxNode): SyntaxNode | null {
  if (!BINARY_TYPES.has(node.type)) return null;
  return node.childForFieldName("operator") ?? node.children.find((child) => child && !child.isNamed) ?? null;
}

/**
 * The edit that turned `before` into `after`, made again at the code's siblings: nodes of the same kind with the same
 * text as the expression it changed, and for a changed operator, the same operator with one operand in common
 * (`sum * size` and `sum * window.length`). Null when the change is not inside one short expression, or when it has
 * no siblings or too many.
 */
export function siblingEdit(parser: LanguageParser, before: string, after: string): SiblingEdit | null {
  const change = changedRange(before, after);
  if (change.start === change.end && change.text === "") return null;
  const tree = parser.parse(before);
  try {
    const changed = coveringNode(tree.rootNode, change.start, change.end);
    if (!changed || changed.text.length > MAX_CHANGED_CODE || changed.text.includes("\n")) return null;
    // A changed operator is also changed where the same operator has one of the same operands.
    const token = operatorToken(changed);
    const operator = token?.startIndex === change.start && token.endIndex === change.end ? token : null;
    const [left, right] = operands(changed);
    const replacements: Replacement[] = [change];
    for (const node of allNodes(tree.rootNode)) {
      if (node.type !== changed.type || node.equals(changed)) continue;
      if (node.startIndex < changed.endIndex && node.endIndex > changed.startIndex) continue;
      if (node.text === changed.text) {
        const offset = node.startIndex - changed.startIndex;
        replacements.push({ start: change.start + offset, end: change.end + offset, text: change.text });
        continue;
      }
      const other = operator ? operatorToken(node) : null;
      if (!other || other.text !== operator?.text) continue;
      const [otherLeft, otherRight] = operands(node);
      if (otherLeft === left || otherRight === right)
        replacements.push({ start: other.startIndex, end: other.endIndex, text: change.text });
    }
    const siblings = replacements.length - 1;
    if (siblings === 0 || siblings > MAX_SIBLINGS) return null;
    replacements.sort((a, b) => a.start - b.start);
    if (
      replacements.some(
        (replacement, index) => index > 0 && replacement.start < (replacements[index - 1]?.end ?? 0),
      )
    )
      return null;
    let text = before;
    for (const replacement of [...replacements].reverse())
      text = text.slice(0, replacement.start) + replacement.text + text.slice(replacement.end);
    const lines = replacements
      .filter((replacement) => replacement !== change)
      .map((replacement) => lineOf(tree.rootNode.descendantForIndex(replacement.start) ?? tree.rootNode));
    return { after: text, lines };
  } finally {
    tree.delete();
  }
}

/**
 * A candidate that makes a partial fix's edit at its siblings too, ahead of everything queued (it most likely fixes
 * the tests the partial fix left failing); null when the candidate edits more than one file or its code has no
 * siblings. `before` is the file's text at the base the candidate was made for.
 */
export async function siblingCandidate(
  candidate: QueuedCandidate,
  before: string,
  id: string,
): Promise<QueuedCandidate | null> {
  const patches = parseUnifiedDiff(candidate.proposal.diff);
  const [patch] = patches;
  const file = patch?.newPath ?? patch?.oldPath;
  if (patches.length !== 1 || !patch || !file) return null;
  const parser = await loadParserForPath(file);
  if (!parser) return null;
  const sibling = siblingEdit(parser, before, applyFilePatch(before, patch));
  if (!sibling) return null;
  const diff = createUnifiedDiff(file, before, sibling.after);
  if (!diff) return null;
  const lines = sibling.lines.join(", ");
  return {
    proposal: {
      ...candidate.proposal,
      id,
      diff,
      rationale: `${candidate.proposal.rationale}, and the same at line${sibling.lines.length > 1 ? "s" : ""} ${lines}`,
    },
    location: { ...candidate.location, score: 1 },
    rankInLocation: 0,
  };
}
