// Operators on leaves: another variable (replace_identifier) or another constant (replace_constant).
import { hintedConstants } from "../../core/failure-hints.js";
import type { SyntaxNode } from "../../runtime/tree-sitter.js";
import type { OperatorContext } from "./edit-context.js";
import { snippet } from "./edit-context.js";
import { describePlace } from "./expression-shapes.js";
import {
  allNodes,
  callableNames,
  declaredNames,
  enclosingFunction,
  isAssignmentTarget,
  isBuiltinNamespace,
  isCallee,
  isPython,
  isVariableUse,
  lineOf,
  nameSimilarity,
  parameterNames,
} from "./syntax-nodes.js";

const MAX_IDENTIFIER_ALTERNATIVES = 5;

/** replace_identifier: a variable use → another variable of the function, by name similarity and nearness. */
export function replaceIdentifiers(context: OperatorContext): void {
  if (!context.targets.some((node) => node.type === "identifier" || isValuePosition(node))) return;
  const callables = context.memo("callables", () => callableNames(context.root));
  const usedNear = context.memo("identifier-distances", () => {
    const distances = new Map<string, number>();
    for (const node of context.fileNodes) {
      if (node.type === "identifier" && !isCallee(node) && !callables.has(node.text)) {
        const distance = Math.abs(lineOf(node) - context.focusStart);
        distances.set(node.text, Math.min(distances.get(node.text) ?? Number.POSITIVE_INFINITY, distance));
      }
    }
    return distances;
  });
  const pool = new Set(context.variables.filter((name) => !callables.has(name)));
  for (const [name, distance] of usedNear) {
    if (distance <= 6 && !isBuiltinNamespace(name, context.variables)) pool.add(name);
  }
  const unused = unusedLocals(context);
  for (const name of unused) {
    for (const node of context.targets) {
      if (!isValuePosition(node) || node.text === name || node.text.includes("\n")) continue;
      context.emit("replace_identifier", {
        start: node.startIndex,
        end: node.endIndex,
        text: name,
        rationale: `use the unused \`${name}\` instead of \`${snippet(node.text)}\` ${describePlace(node)}`,
        bonus: node.type === "identifier" ? 20 : 10,
        anchor: node,
      });
    }
  }
  for (const node of context.targets) {
    if (node.type !== "identifier" || !isVariableUse(node) || isCallee(node) || callables.has(node.text))
      continue;
    if (/^(self|this|super|undefined|arguments)$/.test(node.text)) continue;
    if (isBuiltinNamespace(node.text, context.variables)) continue;
    const ranked = [...pool]
      .filter((name) => name !== node.text)
      .map((name) => {
        const near = usedNear.get(name) ?? 20;
        return {
          name,
          score:
            nameSimilarity(node.text, name) * 10 -
            Math.min(near, 20) * 0.3 +
            (context.variables.includes(name) ? 2 : 0),
        };
      })
      .sort((a, b) => b.score - a.score)
      .slice(0, MAX_IDENTIFIER_ALTERNATIVES);
    ranked.forEach(({ name, score }, rank) => {
      context.emit("replace_identifier", {
        start: node.startIndex,
        end: node.endIndex,
        text: name,
        rationale: `use \`${name}\` instead of \`${node.text}\` ${describePlace(node)}`,
        bonus: Math.round(score) - rank * 2 - (isAssignmentTarget(node) ? 3 : 0),
        anchor: node,
      });
    });
  }
}

/** Locals of the function that are assigned but never read: a strong hint that a use was written wrongly. */
function unusedLocals(context: OperatorContext): string[] {
  const unused: string[] = [];
  for (let fn = context.fn; fn; fn = enclosingFunction(fn)) {
    const read = new Set<string>();
    for (const node of allNodes(fn)) {
      if (node.type === "identifier" && isVariableUse(node) && !isAssignmentTarget(node)) read.add(node.text);
    }
    const parameters = new Set(parameterNames(fn));
    for (const name of declaredNames(fn)) {
      if (!read.has(name) && !parameters.has(name) && name !== "_" && !unused.includes(name))
        unused.push(name);
    }
  }
  return unused;
}

/** Expressions in a place where a variable could stand instead: call arguments, assigned, returned or tested values. */
function isValuePosition(node: SyntaxNode): boolean {
  const parent = node.parent;
  if (!parent || !node.isNamed || node.type === "comment" || isAssignmentTarget(node)) return false;
  if (parent.type === "arguments" || parent.type === "argument_list") return node.type !== "keyword_argument";
  if (parent.type === "return_statement") return true;
  if (parent.type === "variable_declarator") return !!parent.childForFieldName("value")?.equals(node);
  if (parent.type === "assignment" || parent.type === "assignment_expression")
    return !!parent.childForFieldName("right")?.equals(node);
  if (
    parent.type === "binary_expression" ||
    parent.type === "binary_operator" ||
    parent.type === "comparison_operator"
  )
    return true;
  if (parent.type === "member_expression" || parent.type === "attribute")
    return !!parent.childForFieldName("object")?.equals(node);
  return false;
}

const NUMBER_TYPES = new Set(["number", "integer", "float"]);
const STRING_TYPES = new Set(["string"]);

function stringLiteralsOf(context: OperatorContext): string[] {
  const found = new Map<string, number>();
  for (const node of context.fileNodes) {
    if (!STRING_TYPES.has(node.type)) continue;
    if (node.parent?.type === "expression_statement") continue;
    if (
      node.namedChildren.some(
        (child) => child.type === "interpolation" || child.type === "template_substitution",
      )
    )
      continue;
    if (node.text.length > 40 || node.text.includes("\n")) continue;
    if (/^(import_statement|import_from_statement|import_clause)$/.test(node.parent?.type ?? "")) continue;
    const distance = Math.abs(lineOf(node) - context.focusStart);
    found.set(node.text, Math.min(found.get(node.text) ?? Number.POSITIVE_INFINITY, distance));
  }
  return [...found.entries()].sort((a, b) => a[1] - b[1]).map(([text]) => text);
}

function numberAlternatives(text: string): string[] {
  if (!/^\d+$/.test(text)) {
    if (/^\d*\.\d+$/.test(text)) return [];
    return [];
  }
  const value = Number(text);
  const options = [value + 1, value - 1, 0, 1, -1].filter((n) => n >= 0 && n !== value);
  if (value >= 10 && value % 10 === 0) options.push(value / 10);
  if (value >= 1 && value <= 100_000) options.push(value * 10);
  if (value === 1) options.push(-1);
  return [...new Set(options)].map(String);
}

/**
 * Constants the failing tests' numbers suggest, at most this many per literal. One that several mismatches agree on
 * ranks like a favoured family; one that a single mismatch suggests ranks like the best usual alternative (any
 * multiplicative constant on the path, scaled, matches one number: in formulas that is mostly overfitting).
 */
const MAX_HINTED_CONSTANTS = 3;
const AGREED_CONSTANT_BONUS = 30;
const LONE_CONSTANT_BONUS = 8;

/** Whether a number literal is the base of a power: `3 ** n`, `Math.pow(3, n)`, `pow(3, n)`. */
function isPowerBase(node: SyntaxNode): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (parent.type === "binary_expression" || parent.type === "binary_operator")
    return (
      parent.childForFieldName("operator")?.text === "**" && !!parent.childForFieldName("left")?.equals(node)
    );
  const call = parent.parent;
  if (!call || (parent.type !== "arguments" && parent.type !== "argument_list")) return false;
  const callee = call.childForFieldName("function")?.text ?? "";
  return /^(Math\.pow|math\.pow|pow)$/.test(callee) && !!parent.namedChildren[0]?.equals(node);
}

/** replace_constant: numbers ± 1 and 0↔1, booleans flipped, strings → other literals of the file, null/None ↔ 0/''. */
export function replaceConstants(context: OperatorContext): void {
  const python = isPython(context.language);
  let strings: string[] | undefined;
  for (const node of context.targets) {
    const place = describePlace(node);
    const emit = (text: string, bonus: number) =>
      context.emit("replace_constant", {
        start: node.startIndex,
        end: node.endIndex,
        text,
        rationale: `replace \`${snippet(node.text)}\` with \`${snippet(text)}\` ${place}`,
        bonus,
        anchor: node,
      });
    if (NUMBER_TYPES.has(node.type)) {
      // Values that would have turned the numbers the tests got into the expected ones.
      const hinted = hintedConstants(Number(node.text), context.mismatches, { powerBase: isPowerBase(node) });
      for (const { value, votes } of hinted.slice(0, MAX_HINTED_CONSTANTS))
        emit(String(value), votes > 1 ? AGREED_CONSTANT_BONUS : LONE_CONSTANT_BONUS);
      numberAlternatives(node.text).forEach((text, rank) => {
        emit(text, 8 - rank * 2);
      });
      if (/^\d+\.\d+$/.test(node.text)) emit(String(Math.round(Number(node.text))), 0);
    } else if (node.type === "true" || node.type === "false") {
      const flipped = node.type === "true" ? (python ? "False" : "false") : python ? "True" : "true";
      emit(flipped, 10);
    } else if (node.type === "null" || node.type === "none" || node.type === "undefined") {
      const options = python
        ? ["0", "''", "[]", "False"]
        : node.type === "null"
          ? ["undefined", "0", "''", "[]"]
          : ["null", "0", "''"];
      options.forEach((text, rank) => {
        emit(text, 4 - rank);
      });
    } else if (STRING_TYPES.has(node.type) && node.parent?.type !== "expression_statement") {
      if (
        node.namedChildren.some(
          (child) => child.type === "interpolation" || child.type === "template_substitution",
        )
      )
        continue;
      if (/^(import_statement|import_from_statement|import_clause)$/.test(node.parent?.type ?? "")) continue;
      strings ??= context.memo("string-literals", () => stringLiteralsOf(context));
      const inner = node.text.slice(1, -1);
      const others = strings.filter((text) => text.slice(1, -1) !== inner).slice(0, 6);
      others.forEach((text, rank) => {
        emit(requote(text, node.text), 4 - rank);
      });
      if (inner.length > 0) emit(`${node.text[0]}${node.text.slice(-1)}`, -2);
      if (inner.length === 0) emit(`${node.text[0]} ${node.text.slice(-1)}`, -2);
    } else if (node.type === "unary_expression" || node.type === "unary_operator") {
      if (/^-\s*1$/.test(node.text)) emit("0", 4);
    }
  }
}

/** Puts the content of literal `text` between the quotes of `model` when it has no such quote inside. */
function requote(text: string, model: string): string {
  const quote = model[0];
  const prefix = /^[a-zA-Z]+/.exec(text)?.[0] ?? "";
  if (prefix || !quote || text[0] === quote) return text;
  const inner = text.slice(1, -1);
  return inner.includes(quote) ? text : `${quote}${inner}${quote}`;
}
