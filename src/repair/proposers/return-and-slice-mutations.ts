// Operators on returned values (mutate_return) and on slice bounds (slice_bounds) in Python slices and JS `slice`/`substring`.
import type { SyntaxNode } from "../../runtime/tree-sitter.js";
import type { OperatorContext } from "./edit-context.js";
import { snippet } from "./edit-context.js";
import { plusMinusConstant } from "./expression-shapes.js";
import { guardDefaults } from "./guard-insertions.js";
import { allNodes, asOperand, enclosingFunction, isPython, lineOf } from "./syntax-nodes.js";

const BOOLEANISH = /^(is|has|can|should|contains|includes|check|valid|equal|match)/i;

/** Whether a node gives the function's result: a `return`, or a `yield` of a generator. */
function isResult(node: SyntaxNode): boolean {
  return node.type === "return_statement" || node.type === "yield" || node.type === "yield_expression";
}

/**
 * mutate_return: the returned (or yielded) expression → another return or yield of the function, a variable in scope,
 * its negation, or a default.
 */
export function mutateReturns(context: OperatorContext): void {
  const fn = context.fn;
  if (!fn) return;
  const python = isPython(context.language);
  const siblings: string[] = [];
  for (const node of allNodes(fn)) {
    if (isResult(node) && enclosingFunction(node)?.equals(fn)) {
      const value = node.namedChild(0);
      if (value && !siblings.includes(value.text) && !value.text.includes("\n")) siblings.push(value.text);
    }
  }
  const defaults = guardDefaults(context).filter((value): value is string => value !== null);
  for (const node of context.targets) {
    if (!isResult(node)) continue;
    const value = node.namedChild(0);
    const verb = node.type === "return_statement" ? "return" : "yield";
    if (!value && verb === "yield") continue;
    if (!value) {
      context.locals.slice(-3).forEach((name, rank) => {
        context.emit("mutate_return", {
          start: node.endIndex - (python ? 0 : node.text.endsWith(";") ? 1 : 0),
          end: node.endIndex - (python ? 0 : node.text.endsWith(";") ? 1 : 0),
          text: ` ${name}`,
          rationale: `return \`${name}\` instead of nothing at line ${lineOf(node)}`,
          bonus: 2 - rank,
          anchor: node,
        });
      });
      continue;
    }
    const options: Array<[string, number, string]> = [];
    for (const other of siblings)
      if (other !== value.text) options.push([other, 6, `another ${verb} of the function`]);
    for (const name of [...context.locals].reverse().slice(0, 6)) {
      if (name !== value.text) options.push([name, 4, "a variable in scope"]);
    }
    const fnName = fn.childForFieldName("name")?.text ?? "";
    const booleanish =
      BOOLEANISH.test(fnName) ||
      /^(true|false|True|False)$/.test(value.text) ||
      /[<>=!]=?|\band\b|\bor\b|&&|\|\|/.test(value.text);
    if (booleanish) {
      const negated = python ? `not ${asOperand(value)}` : `!${asOperand(value)}`;
      options.push([negated, 8, "its negation"]);
    }
    for (const access of memberAccessesOf(context))
      if (access !== value.text) options.push([access, 3, "a field in scope"]);
    if (
      booleanish &&
      !/[<>=!]=?|\band\b|\bor\b|&&|\|\||\bnot\b/.test(value.text) &&
      !/^(true|false|True|False)$/.test(value.text)
    ) {
      for (const bound of comparedExpressions(fn).slice(0, 3)) {
        for (const op of ["<", "<=", ">", ">="]) {
          if (bound !== value.text)
            options.push([`${asOperand(value)} ${op} ${bound}`, op === "<" ? 7 : 5, "a comparison"]);
        }
      }
    }
    for (const value of defaults.slice(0, 3)) options.push([value, 1, "a default"]);
    const seen = new Set<string>();
    for (const [text, bonus, why] of options) {
      if (seen.has(text) || text === value.text) continue;
      seen.add(text);
      context.emit("mutate_return", {
        start: value.startIndex,
        end: value.endIndex,
        text,
        rationale: `${verb} \`${snippet(text)}\` (${why}) instead of \`${snippet(value.text)}\` at line ${lineOf(node)}`,
        bonus,
        anchor: node,
      });
    }
  }
}

/** `x.y` expressions in the file whose object `x` is a variable in scope (candidate return values). */
function memberAccessesOf(context: OperatorContext): string[] {
  const found = new Map<string, number>();
  const visible = new Set(context.locals);
  for (const node of context.fileNodes) {
    if (node.type !== "member_expression" && node.type !== "attribute") continue;
    const object = node.childForFieldName("object");
    if (
      object?.type !== "identifier" ||
      !visible.has(object.text) ||
      node.parent?.type === "call_expression" ||
      node.parent?.type === "call"
    )
      continue;
    const distance = Math.abs(lineOf(node) - context.focusStart);
    found.set(node.text, Math.min(found.get(node.text) ?? Number.POSITIVE_INFINITY, distance));
  }
  return [...found.entries()]
    .sort((a, b) => a[1] - b[1])
    .slice(0, 4)
    .map(([text]) => text);
}

/** Right-hand sides of ordering comparisons in a function (bounds a boolean result may be compared against). */
function comparedExpressions(fn: SyntaxNode): string[] {
  const found: string[] = [];
  for (const node of allNodes(fn)) {
    if (node.type !== "binary_expression" && node.type !== "comparison_operator") continue;
    const op = node.children.find((child) => !child.isNamed)?.type ?? "";
    if (!["<", "<=", ">", ">="].includes(op)) continue;
    for (const side of node.namedChildren) {
      if (
        (side.type === "member_expression" || side.type === "attribute" || side.type === "identifier") &&
        !found.includes(side.text)
      )
        found.push(side.text);
    }
  }
  return found;
}

function shifted(bound: SyntaxNode, delta: number): string {
  const text = bound.text;
  if (/^-?\d+$/.test(text)) return String(Number(text) + delta);
  const split = plusMinusConstant(bound);
  if (split) {
    const total = split.delta + delta;
    if (total === 0) return split.base.text;
    return `${split.base.text} ${total > 0 ? "+" : "-"} ${Math.abs(total)}`;
  }
  return `${asOperand(bound)} ${delta > 0 ? "+" : "-"} 1`;
}

/** slice_bounds: a Python slice bound ± 1, dropped, or `[:-1]`↔`[:]`; JS `slice`/`substring` arguments ± 1 or the end dropped. */
export function sliceBounds(context: OperatorContext): void {
  for (const node of context.targets) {
    if (node.type === "slice") pythonSlice(context, node);
    if (node.type === "call_expression") jsSlice(context, node);
  }
}

function pythonSlice(context: OperatorContext, slice: SyntaxNode): void {
  const parts: Array<SyntaxNode | null> = [null, null, null];
  let position = 0;
  for (const child of slice.children) {
    if (child.type === ":") position++;
    else if (child.isNamed && position < 3) parts[position] = child;
  }
  const colons = slice.children.filter((child) => child.type === ":").length;
  const emit = (text: string, rationale: string, bonus: number) =>
    context.emit("slice_bounds", {
      start: slice.startIndex,
      end: slice.endIndex,
      text,
      rationale: `${rationale} in \`[${slice.text}]\` at line ${lineOf(slice)}`,
      bonus,
      anchor: slice,
    });
  const render = (lower: string, upper: string, step: string | undefined) =>
    `${lower}:${upper}${step !== undefined ? `:${step}` : colons > 1 ? ":" : ""}`;
  const [lower, upper, step] = parts;
  const stepText = step?.text;
  for (const [index, bound] of [lower, upper].entries()) {
    const name = index === 0 ? "start" : "end";
    const other = index === 0 ? (upper?.text ?? "") : (lower?.text ?? "");
    if (bound) {
      for (const delta of [1, -1]) {
        const moved = shifted(bound, delta);
        const text =
          index === 0
            ? render(moved === "0" ? "" : moved, other, stepText)
            : render(other, moved === "0" ? "" : moved, stepText);
        emit(text, `move the slice ${name} to \`${moved}\``, 8);
      }
      emit(
        index === 0 ? render("", other, stepText) : render(other, "", stepText),
        `drop the slice ${name}`,
        6,
      );
    } else {
      for (const added of index === 0 ? ["1"] : ["-1"]) {
        emit(
          index === 0 ? render(added, other, stepText) : render(other, added, stepText),
          `add slice ${name} \`${added}\``,
          4,
        );
      }
    }
  }
}

function jsSlice(context: OperatorContext, call: SyntaxNode): void {
  const callee = call.childForFieldName("function");
  const method = callee?.childForFieldName("property")?.text ?? "";
  if (!/^(slice|substring|substr|splice)$/.test(method)) return;
  const args = call.childForFieldName("arguments");
  const list = args?.namedChildren ?? [];
  if (!args || list.length === 0 || list.length > 2) return;
  const emit = (start: number, end: number, text: string, rationale: string, bonus: number) =>
    context.emit("slice_bounds", {
      start,
      end,
      text,
      rationale: `${rationale} of \`${method}\` at line ${lineOf(call)}`,
      bonus,
      anchor: call,
    });
  list.forEach((arg, index) => {
    for (const delta of [1, -1]) {
      const moved = shifted(arg, delta);
      emit(arg.startIndex, arg.endIndex, moved, `use \`${snippet(moved)}\` as argument ${index + 1}`, 8);
    }
  });
  const [first, second] = list;
  if (second && first) emit(first.endIndex, second.endIndex, "", "drop the end argument", 6);
  if (!second && first) emit(first.endIndex, first.endIndex, ", -1", "add end `-1`", 3);
}
