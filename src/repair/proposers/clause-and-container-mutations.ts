// Operators on condition clauses (condition_clause: a missing `and`/`or` clause) and on containers' initial values (replace_constant: `[]` ↔ `set()` ↔ `[start]`).
import type { SyntaxNode } from "../../runtime/tree-sitter.js";
import type { OperatorContext } from "./edit-context.js";
import { snippet } from "./edit-context.js";
import { conditionOf, describePlace, isConditionOwner, operatorTokens } from "./expression-shapes.js";
import {
  allNodes,
  asOperand,
  callableNames,
  enclosingFunction,
  isPython,
  isVariableUse,
  lineOf,
  parameterNames,
} from "./syntax-nodes.js";

/** How many donor clauses a condition is tried with. */
const MAX_CLAUSES = 8;

const LOGICAL = /^(and|or|&&|\|\|)$/;

/** The clauses of a condition: its operands split at `and`/`or`/`&&`/`||`, parentheses removed. */
function atomsOf(condition: SyntaxNode): SyntaxNode[] {
  const inner = unwrap(condition);
  const op = operatorTokens(inner)[0]?.type ?? "";
  if ((inner.type === "boolean_operator" || inner.type === "binary_expression") && LOGICAL.test(op)) {
    const left = inner.childForFieldName("left");
    const right = inner.childForFieldName("right");
    return [...(left ? atomsOf(left) : []), ...(right ? atomsOf(right) : [])];
  }
  return [inner];
}

function unwrap(node: SyntaxNode): SyntaxNode {
  let current = node;
  while (current.type === "parenthesized_expression" && current.namedChildCount === 1)
    current = current.namedChild(0) as SyntaxNode;
  return current;
}

const BOOLEAN_SHAPES = /^(comparison_operator|boolean_operator|not_operator)$/;
const COMPARISON = /^(<|<=|>|>=|==|!=|===|!==|in|not in|is|is not|instanceof)$/;

/** Whether an expression is a truth value by its shape (a comparison, `and`/`or`, a negation). */
function isBooleanShaped(node: SyntaxNode): boolean {
  if (BOOLEAN_SHAPES.test(node.type)) return true;
  if (node.type === "unary_expression") return node.childForFieldName("operator")?.type === "!";
  if (node.type !== "binary_expression") return false;
  const op = operatorTokens(node)[0]?.type ?? "";
  return COMPARISON.test(op) || LOGICAL.test(op);
}

/** The conditions of the file's `if`/`while`/ternary nodes, and the truth values its functions return. */
function fileConditions(context: OperatorContext): SyntaxNode[] {
  const conditions: SyntaxNode[] = [];
  for (const node of context.fileNodes) {
    if (isConditionOwner(node) && node.type !== "for_statement") {
      const condition = conditionOf(node);
      if (condition) conditions.push(condition);
    } else if (node.type === "return_statement") {
      const value = node.namedChild(0);
      if (value && isBooleanShaped(unwrap(value))) conditions.push(value);
    }
  }
  return conditions;
}

/** The `if`/`while`/ternary whose condition is `node` (through parentheses), or null. */
function conditionOwner(node: SyntaxNode): SyntaxNode | null {
  let parent = node.parent;
  while (parent && (parent.type === "parenthesized_expression" || parent.type === "expression_statement"))
    parent = parent.parent;
  if (!parent || parent.type === "for_statement" || !isConditionOwner(parent)) return null;
  return conditionOf(parent)?.equals(node) ? parent : null;
}

/** Locals that start as a collection (`set()`, `{start}`, `[]`, `new Set()`), by name: membership can be asked of them. */
function collectionsOf(context: OperatorContext): Map<string, "in" | "has" | "includes"> {
  const collections = new Map<string, "in" | "has" | "includes">();
  if (!context.fn) return collections;
  const python = isPython(context.language);
  for (const node of allNodes(context.fn)) {
    if (node.type !== "variable_declarator" && node.type !== "assignment") continue;
    const name = node.childForFieldName("name") ?? node.childForFieldName("left");
    const value = node.childForFieldName("value") ?? node.childForFieldName("right");
    if (name?.type !== "identifier" || !value) continue;
    if (python && /^(set|list|dictionary|set_comprehension|dictionary_comprehension)$/.test(value.type))
      collections.set(name.text, "in");
    else if (python && /^(set|dict|frozenset)\(/.test(value.text)) collections.set(name.text, "in");
    else if (!python && /^new (Set|Map)\b/.test(value.text)) collections.set(name.text, "has");
    else if (!python && value.type === "array") collections.set(name.text, "includes");
  }
  return collections;
}

/**
 * Membership clauses for the variables a condition tests: `x not in seen` / `!seen.has(x)` for each local collection
 * the function keeps (a search that forgot to skip what it has visited).
 */
function membershipClauses(context: OperatorContext, condition: SyntaxNode): Clause[] {
  const python = isPython(context.language);
  const collections = collectionsOf(context);
  const subjects = [
    ...new Set(
      allNodes(condition)
        .filter((node) => node.type === "identifier" && isVariableUse(node) && !collections.has(node.text))
        .map((node) => node.text),
    ),
  ].slice(0, 3);
  const clauses: Clause[] = [];
  for (const [collection, how] of collections) {
    for (const subject of subjects) {
      const rank = clauses.length * 0.1;
      if (how === "in") {
        clauses.push({ text: `${subject} not in ${collection}`, rank });
        clauses.push({ text: `${subject} in ${collection}`, rank: rank + 1 });
      } else if (!python) {
        clauses.push({ text: `!${collection}.${how}(${subject})`, rank });
        clauses.push({ text: `${collection}.${how}(${subject})`, rank: rank + 1 });
      }
    }
  }
  return clauses;
}

/** A clause worth adding: short, one line, only names visible at the location (or functions and builtins). */
function usable(context: OperatorContext, atom: SyntaxNode, visible: ReadonlySet<string>): boolean {
  if (atom.text.includes("\n") || atom.text.length > 60) return false;
  if (/^(true|false|True|False|None|null|undefined)$/.test(atom.text)) return false;
  const callables = context.memo("callables", () => callableNames(context.root));
  return allNodes(atom).every(
    (node) =>
      node.type !== "identifier" ||
      !isVariableUse(node) ||
      visible.has(node.text) ||
      callables.has(node.text) ||
      /^(len|isinstance|hasattr|callable|any|all|Array|Number|Object|Math|String)$/.test(node.text),
  );
}

interface Clause {
  text: string;
  rank: number;
}

/** Clauses of other conditions that could complete one: same function first, nearest first. */
function donorClauses(context: OperatorContext): Clause[] {
  return context.memo("condition-clauses", () => {
    const visible = new Set(context.variables);
    const clauses = new Map<string, number>();
    for (const condition of fileConditions(context)) {
      const inSameFunction = !!context.fn && !!enclosingFunction(condition)?.equals(context.fn);
      for (const atom of atomsOf(condition)) {
        if (!usable(context, atom, visible)) continue;
        const rank = Math.abs(lineOf(atom) - context.focusStart) * 0.2 + (inSameFunction ? 0 : 6);
        const previous = clauses.get(atom.text);
        if (previous === undefined || rank < previous) clauses.set(atom.text, rank);
      }
    }
    return [...clauses]
      .map(([text, rank]) => ({ text, rank }))
      .sort((a, b) => a.rank - b.rank)
      .slice(0, MAX_CLAUSES * 2);
  });
}

/** The clause with the opposite truth: `x in s` ↔ `x not in s`, `!a` ↔ `a`, `a < b` left alone. */
function negatedClause(text: string, python: boolean): string | null {
  if (python) {
    if (/^\S+ not in \S+$/.test(text)) return text.replace(" not in ", " in ");
    if (/^\S+ in \S+$/.test(text)) return text.replace(" in ", " not in ");
    if (/^not \w[\w.]*$/.test(text)) return text.slice(4);
    if (/^[\w.]+(\(.*\))?$/.test(text)) return `not ${text}`;
    return null;
  }
  if (/^![\w.$]+(\(.*\))?$/.test(text)) return text.slice(1);
  if (/^[\w.$]+(\(.*\))?$/.test(text)) return `!${text}`;
  return null;
}

/** condition_clause: a condition gets a missing `and`/`or` clause taken from another condition of the file. */
export function addConditionClauses(context: OperatorContext): void {
  const python = isPython(context.language);
  const and = python ? "and" : "&&";
  const or = python ? "or" : "||";
  for (const node of context.targets) {
    if (!conditionOwner(node)) continue;
    const present = new Set(atomsOf(node).map((atom) => atom.text));
    const indices = subscriptIndices(node);
    const place = describePlace(node);
    const own = operatorTokens(unwrap(node))[0]?.type ?? "";
    const asLeft = LOGICAL.test(own) && /or|\|\|/.test(own) ? `(${node.text})` : node.text;
    let emitted = 0;
    const clauses = [...membershipClauses(context, node), ...donorClauses(context)].sort(
      (a, b) => a.rank - b.rank,
    );
    const tried = new Set<string>();
    for (const clause of clauses) {
      if (tried.has(clause.text)) continue;
      tried.add(clause.text);
      if (emitted >= MAX_CLAUSES) break;
      if (present.has(clause.text)) continue;
      const negated = negatedClause(clause.text, python);
      if (negated !== null && present.has(negated)) continue;
      emitted += 1;
      const bonus = 6 - emitted;
      const emit = (text: string, extra: number, what: string) =>
        context.emit("condition_clause", {
          start: node.startIndex,
          end: node.endIndex,
          text,
          rationale: `${what} ${place}`,
          bonus: bonus + extra,
          anchor: node,
        });
      const operand = clause.text.includes(` ${or} `) ? `(${clause.text})` : clause.text;
      emit(
        `${asLeft} ${and} ${operand}`,
        0,
        `add \`${and} ${snippet(clause.text)}\` to \`${snippet(node.text)}\``,
      );
      // A guard clause first (`i < len(a) and a[i] ...`): it must hold before the condition is evaluated.
      const guards = boundsGuard(clause.text, indices);
      emit(
        `${operand} ${and} ${asLeft}`,
        guards ? 6 : -2,
        `add \`${snippet(clause.text)} ${and}\` before \`${snippet(node.text)}\``,
      );
      if (negated !== null)
        emit(
          `${asLeft} ${and} ${negated}`,
          -1,
          `add \`${and} ${snippet(negated)}\` to \`${snippet(node.text)}\``,
        );
      emit(
        `${asOperand(node)} ${or} ${operand}`,
        -3,
        `add \`${or} ${snippet(clause.text)}\` to \`${snippet(node.text)}\``,
      );
    }
  }
}

/** Names used as indices in a condition (`values[index]`, `a[i]`). */
function subscriptIndices(condition: SyntaxNode): string[] {
  const names: string[] = [];
  for (const node of allNodes(condition)) {
    if (node.type !== "subscript_expression" && node.type !== "subscript") continue;
    const index = node.childForFieldName("index") ?? node.childForFieldName("subscript");
    if (index?.type === "identifier" && !names.includes(index.text)) names.push(index.text);
  }
  return names;
}

/** Whether a clause bounds one of the indices (`i < len(a)`, `index < values.length`). */
function boundsGuard(clause: string, indices: readonly string[]): boolean {
  return indices.some(
    (name) => new RegExp(`\\b${name}\\b`).test(clause) && /<|>/.test(clause) && /len\(|length/.test(clause),
  );
}

/** Whether `node` is the value a variable starts with (`x = …`, `let x = …`, `self.x = …`). */
function isInitialValue(node: SyntaxNode): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (parent.type === "variable_declarator") return !!parent.childForFieldName("value")?.equals(node);
  if (parent.type === "assignment" || parent.type === "assignment_expression")
    return !!parent.childForFieldName("right")?.equals(node);
  return false;
}

/** What a container or extreme initial value could have been instead (best first). */
function containerAlternatives(node: SyntaxNode, python: boolean, seeds: readonly string[]): string[] {
  const text = node.text.replace(/\s+/g, "");
  const seeded = (make: (name: string) => string) => seeds.slice(0, 3).map(make);
  if (python) {
    if (text === "[]") return [...seeded((s) => `[${s}]`), "set()", "{}", "[0]", "None"];
    if (text === "set()") return [...seeded((s) => `{${s}}`), "[]", "{}"];
    if (text === "{}") return [...seeded((s) => `{${s}: 0}`), "[]", "set()"];
    if (text === "dict()") return ["{}", "[]"];
    if (text === "list()") return ["[]", "set()"];
    if (/^\[\w+\]$/.test(text)) return ["[]", `{${text.slice(1, -1)}}`];
    if (/^\{\w+\}$/.test(text)) return ["set()", `[${text.slice(1, -1)}]`];
    if (text === "float('inf')" || text === 'float("inf")') return ["float('-inf')", "0", "-1"];
    if (text === "float('-inf')" || text === 'float("-inf")') return ["float('inf')", "0"];
    return [];
  }
  if (text === "[]") return [...seeded((s) => `[${s}]`), "{}", "new Set()", "[0]", "null"];
  if (text === "{}") return ["[]", "new Map()"];
  if (text === "newSet()") return [...seeded((s) => `new Set([${s}])`), "[]"];
  if (text === "newMap()") return ["new Set()", "{}"];
  if (/^\[[\w$]+\]$/.test(text)) return ["[]"];
  if (text === "Infinity") return ["-Infinity", "0"];
  if (text === "-Infinity") return ["Infinity", "0"];
  return [];
}

/** replace_constant on containers: a wrong initial list/set/dict (or ±infinity), e.g. `seen = set()` for `{start}`. */
export function replaceInitialContainers(context: OperatorContext): void {
  const python = isPython(context.language);
  const seeds = context.fn ? parameterNames(context.fn).filter((name) => name !== "self") : [];
  for (const node of context.targets) {
    if (!node.isNamed || !isInitialValue(node)) continue;
    containerAlternatives(node, python, seeds).forEach((text, rank) => {
      context.emit("replace_constant", {
        start: node.startIndex,
        end: node.endIndex,
        text,
        rationale: `start with \`${snippet(text)}\` instead of \`${snippet(node.text)}\` ${describePlace(node)}`,
        bonus: 8 - rank * 2,
        anchor: node,
      });
    });
  }
}
