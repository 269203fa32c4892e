// add_guard: early returns for null/empty/out-of-range inputs, `?.` and `??` in JS/TS, `dict.get` in Python.
import type { SyntaxNode } from "../../runtime/tree-sitter.js";
import type { OperatorContext } from "./edit-context.js";
import { snippet } from "./edit-context.js";
import { isArithmetic } from "./expression-shapes.js";
import {
  allNodes,
  blockStatements,
  enclosingFunction,
  enclosingStatement,
  functionBody,
  indentationAt,
  indentUnit,
  isAssignmentTarget,
  isBuiltinNamespace,
  isCallee,
  isLoop,
  isPython,
  LITERAL_TYPES,
  lineOf,
  lineStartIndex,
  parameterNames,
} from "./syntax-nodes.js";

/** Values a guard may return, preferring literal values the function already returns; `null` means a bare `return`. */
export function guardDefaults(context: OperatorContext): Array<string | null> {
  const fn = context.fn;
  if (!fn) return [];
  const own: string[] = [];
  const expressions: string[] = [];
  let returnsValue = false;
  for (const node of allNodes(fn)) {
    if (node.type !== "return_statement" || !enclosingFunction(node)?.equals(fn)) continue;
    const value = node.namedChild(0);
    if (!value) continue;
    returnsValue = true;
    const isLiteral =
      LITERAL_TYPES.has(value.type) ||
      ((value.type === "array" ||
        value.type === "list" ||
        value.type === "object" ||
        value.type === "dictionary") &&
        value.namedChildCount === 0) ||
      ((value.type === "unary_expression" || value.type === "unary_operator") && /^-\d+$/.test(value.text));
    if (isLiteral && value.text.length <= 20 && !own.includes(value.text)) own.push(value.text);
    else if (!isLiteral && value.text.length <= 40 && !value.text.includes("\n"))
      expressions.push(value.text);
  }
  for (const expression of expressions.slice(-1)) if (!own.includes(expression)) own.push(expression);
  if (
    !returnsValue &&
    fn.childForFieldName("body")?.type !== "statement_block" &&
    fn.childForFieldName("body")?.type !== "block"
  ) {
    returnsValue = true;
  }
  if (!returnsValue) return [null];
  const fallback = isPython(context.language)
    ? ["None", "0", "[]", "''", "False"]
    : ["null", "0", "[]", "''", "false"];
  return [...own, ...fallback.filter((value) => !own.includes(value))].slice(0, 4);
}

function returnText(value: string | null, python: boolean): string {
  if (value === null) return python ? "return" : "return;";
  return python ? `return ${value}` : `return ${value};`;
}

function guardText(condition: string, exit: string, python: boolean, indent: string, unit: string): string {
  return python ? `if ${condition}:\n${indent}${unit}${exit}` : `if (${condition}) ${exit}`;
}

/** Inserts a statement before `anchor` (which must start its line), keeping its indentation. */
function insertBefore(
  context: OperatorContext,
  anchor: SyntaxNode,
  build: (indent: string) => string,
  rationale: string,
  bonus: number,
) {
  const lineStart = lineStartIndex(context.source, anchor.startIndex);
  if (context.source.slice(lineStart, anchor.startIndex).trim() !== "") return;
  const indent = indentationAt(context.source, anchor.startIndex);
  context.emit("add_guard", {
    start: anchor.startIndex,
    end: anchor.startIndex,
    text: `${build(indent)}\n${indent}`,
    rationale,
    bonus,
    anchor,
  });
}

function firstBodyStatement(fn: SyntaxNode): SyntaxNode | null {
  const body = functionBody(fn);
  if (!body) return null;
  const statements = blockStatements(body);
  const first = statements[0];
  const isDocstring = first?.type === "expression_statement" && first.namedChild(0)?.type === "string";
  return (isDocstring ? statements[1] : first) ?? null;
}

function collectionUse(fn: SyntaxNode, name: string): boolean {
  for (const node of allNodes(fn)) {
    if (node.type === "identifier" && node.text === name) {
      const parent = node.parent;
      if (!parent) continue;
      if (
        (parent.type === "subscript_expression" || parent.type === "subscript") &&
        parent.namedChild(0)?.equals(node)
      )
        return true;
      if (
        parent.type === "member_expression" &&
        /^(length|map|filter|reduce|forEach|slice|indexOf|includes|at)$/.test(
          parent.childForFieldName("property")?.text ?? "",
        )
      )
        return true;
      if (
        parent.type === "argument_list" &&
        /^(len|sorted|sum|max|min|enumerate)$/.test(parent.parent?.childForFieldName("function")?.text ?? "")
      )
        return true;
      if (
        (parent.type === "for_in_statement" || parent.type === "for_statement") &&
        parent.childForFieldName("right")?.equals(node)
      )
        return true;
    }
  }
  return false;
}

export function addGuards(context: OperatorContext): void {
  const python = isPython(context.language);
  const noValue = python ? "None" : "null";
  const unit = indentUnit(context.source, context.language);
  const defaults = guardDefaults(context);
  const fn = context.fn;
  const first = fn ? firstBodyStatement(fn) : null;
  if (fn && first) {
    const params = parameterNames(fn).slice(0, 4);
    for (const param of params) {
      const usedAsCollection = collectionUse(fn, param);
      defaults.forEach((value, rank) => {
        const exit = returnText(value, python);
        const nullCheck = python ? `${param} is None` : `${param} == null`;
        insertBefore(
          context,
          first,
          (indent) => guardText(nullCheck, exit, python, indent, unit),
          `return ${value ?? "early"} when \`${param}\` is ${noValue} at the top of the function`,
          4 - rank,
        );
        if (usedAsCollection) {
          const emptyCheck = python ? `not ${param}` : `${param}.length === 0`;
          insertBefore(
            context,
            first,
            (indent) => guardText(emptyCheck, exit, python, indent, unit),
            `return ${value ?? "early"} when \`${param}\` is empty at the top of the function`,
            5 - rank,
          );
        }
      });
    }
  }
  const seen = new Set<string>();
  /**
   * Guards before `statement` against `name` being null/None, leaving by each of the first `values` defaults (or
   * `continue` in a loop); false when that guard was made already.
   */
  const guardAgainstNull = (
    name: string,
    statement: SyntaxNode,
    values: number,
    describe: (exit: string) => string,
    bonus: (rank: number) => number,
  ): boolean => {
    const key = `null:${name}:${statement.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    const condition = python ? `${name} is None` : `${name} == null`;
    const exits = insideLoop(statement, fn) ? [python ? "continue" : "continue;"] : [];
    for (const value of defaults.slice(0, values)) exits.push(returnText(value, python));
    exits.forEach((exit, rank) => {
      insertBefore(
        context,
        statement,
        (indent) => guardText(condition, exit, python, indent, unit),
        describe(exit),
        bonus(rank),
      );
    });
    return true;
  };
  /** A guard before `statement` for a name read there (a member of it, an operand). */
  const skipWhenNull = (name: string, statement: SyntaxNode, bonus: number): boolean =>
    guardAgainstNull(
      name,
      statement,
      2,
      (exit) => `skip when \`${name}\` is ${noValue} (\`${exit}\`) before line ${lineOf(statement)}`,
      (rank) => bonus - rank,
    );
  const isLocalName = (node: SyntaxNode) =>
    node.type === "identifier" && /^[a-z_]/.test(node.text) && context.variables.includes(node.text);
  for (const node of context.targets) {
    const nullable = nullableAssignment(node);
    const next = nullable?.statement.nextNamedSibling;
    if (nullable && next) {
      guardAgainstNull(
        nullable.name,
        next,
        3,
        (exit) =>
          `\`${exit}\` when \`${nullable.name}\` is ${noValue} after line ${lineOf(nullable.statement)}`,
        (rank) => 10 - rank * 2,
      );
    }
    const isJsIndex = node.type === "subscript_expression";
    const isPyIndex = node.type === "subscript" && node.childForFieldName("subscript")?.type !== "slice";
    if ((isJsIndex || isPyIndex) && !isAssignmentTarget(node)) {
      const object = node.childForFieldName("object") ?? node.childForFieldName("value");
      const index = node.childForFieldName("index") ?? node.childForFieldName("subscript");
      if (!object || !index || index.type === "string" || index.type === "number" || index.type === "integer")
        continue;
      if (index.type === "unary_expression" || index.type === "unary_operator") continue;
      const statement = enclosingStatement(node);
      if (!statement) continue;
      const key = `bounds:${object.text}:${index.text}:${statement.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const condition = python
        ? `${index.text} >= len(${object.text})`
        : `${index.text} >= ${object.text}.length`;
      const exits = insideLoop(statement, fn) ? [python ? "continue" : "continue;"] : [];
      for (const value of defaults.slice(0, 3)) exits.push(returnText(value, python));
      exits.forEach((exit, rank) => {
        insertBefore(
          context,
          statement,
          (indent) => guardText(condition, exit, python, indent, unit),
          `guard \`${snippet(node.text)}\` against an out-of-range index (\`${exit}\`) before line ${lineOf(statement)}`,
          3 - rank,
        );
      });
    }
    const isAccess = node.type === "member_expression" || node.type === "attribute";
    if (isAccess && !isAssignmentTarget(node)) {
      const object = node.childForFieldName("object");
      if (!object || object.type === "this" || object.text === "self" || object.text === "this") continue;
      if (isBuiltinNamespace(object.text, context.variables)) continue;
      if (!python && !node.children.some((child) => child.type === "optional_chain")) {
        context.emit("add_guard", {
          start: object.endIndex,
          end: object.endIndex + 1,
          text: "?.",
          rationale: `use optional chaining \`${snippet(object.text)}?.\` at line ${lineOf(node)}`,
          bonus: 2,
          anchor: node,
        });
      }
      const statement = enclosingStatement(node);
      if (statement && isLocalName(object) && !skipWhenNull(object.text, statement, 2)) continue;
    }
    // An operand of arithmetic may be None/undefined too (Python: "unsupported operand type(s) … 'NoneType'").
    if (isArithmetic(node)) {
      const statement = enclosingStatement(node);
      for (const side of ["left", "right"]) {
        const operand = node.childForFieldName(side);
        if (statement && operand && isLocalName(operand)) skipWhenNull(operand.text, statement, 0);
      }
    }
    if (
      !python &&
      (node.type === "member_expression" || node.type === "subscript_expression") &&
      !isCallee(node) &&
      !isAssignmentTarget(node)
    ) {
      const parent = node.parent;
      if (parent?.type === "member_expression" || parent?.type === "update_expression") continue;
      for (const fallback of ["0", "''", "[]"]) {
        context.emit("add_guard", {
          start: node.startIndex,
          end: node.endIndex,
          text: `(${node.text} ?? ${fallback})`,
          rationale: `default \`${snippet(node.text)}\` to \`${fallback}\` with \`??\` at line ${lineOf(node)}`,
          bonus: fallback === "0" ? 0 : -2,
          anchor: node,
        });
      }
    }
    if (isPyIndex && !isAssignmentTarget(node) && node.parent?.type !== "augmented_assignment") {
      const object = node.childForFieldName("value");
      const key = node.childForFieldName("subscript");
      if (!object || !key || key.type === "integer" || key.type === "unary_operator") continue;
      for (const fallback of [null, "0", "''", "[]"]) {
        const text =
          fallback === null
            ? `${object.text}.get(${key.text})`
            : `${object.text}.get(${key.text}, ${fallback})`;
        context.emit("add_guard", {
          start: node.startIndex,
          end: node.endIndex,
          text,
          rationale: `use \`${snippet(text)}\` instead of \`${snippet(node.text)}\` at line ${lineOf(node)}`,
          bonus: fallback === null ? 2 : 0,
          anchor: node,
        });
      }
    }
  }
}

const NULLABLE_CALLS =
  /^(get|find|pop|search|match|exec|getattr|querySelector|getElementById|fetchone|first|lookup|getItem)$/;

/** `x = d.get(k)` and the like: a declaration or assignment whose value may be null/None. */
function nullableAssignment(node: SyntaxNode): { name: string; statement: SyntaxNode } | null {
  let name: SyntaxNode | null = null;
  let value: SyntaxNode | null = null;
  if (node.type === "variable_declarator") {
    name = node.childForFieldName("name");
    value = node.childForFieldName("value");
  } else if (node.type === "assignment") {
    name = node.childForFieldName("left");
    value = node.childForFieldName("right");
  }
  if (name?.type !== "identifier" || !value) return null;
  const statement = enclosingStatement(node);
  if (!statement) return null;
  if (value.type === "member_expression" || value.type === "subscript_expression") {
    const accessedLater = allNodes(statement.parent ?? statement).some(
      (use) =>
        use.startIndex > statement.endIndex &&
        (use.type === "member_expression" || use.type === "subscript_expression") &&
        use.childForFieldName("object")?.text === name?.text,
    );
    return accessedLater ? { name: name.text, statement } : null;
  }
  if (value.type === "await_expression") value = value.namedChild(0);
  if (value?.type !== "call" && value?.type !== "call_expression") return null;
  const callee = value.childForFieldName("function");
  const method =
    callee?.childForFieldName("property")?.text ??
    callee?.childForFieldName("attribute")?.text ??
    callee?.text ??
    "";
  if (!NULLABLE_CALLS.test(method)) return null;
  const args = value.childForFieldName("arguments")?.namedChildren ?? [];
  if (method === "get" && args.length > 1) return null;
  return { name: name.text, statement };
}

function insideLoop(statement: SyntaxNode, fn: SyntaxNode | null): boolean {
  for (
    let current = statement.parent;
    current && !current.equals(fn ?? current.tree.rootNode);
    current = current.parent
  ) {
    if (isLoop(current)) return true;
  }
  return false;
}
