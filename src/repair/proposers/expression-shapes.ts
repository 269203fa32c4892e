// Recognizes expression shapes the operators mutate (binary operators, conditions, numeric expressions) and describes where they sit.
import type { SyntaxNode } from "../../runtime/tree-sitter.js";
import { isLoop, lineOf } from "./syntax-nodes.js";

export const BINARY_TYPES = new Set([
  "binary_expression",
  "binary_operator",
  "boolean_operator",
  "comparison_operator",
  "augmented_assignment_expression",
  "augmented_assignment",
]);

const ARITHMETIC_OPERATORS = new Set(["+", "-", "*", "/", "//", "%", "**"]);

/** Whether a node is arithmetic on two operands (`a - b`, `n // 2`), in JavaScript, TypeScript or Python. */
export function isArithmetic(node: SyntaxNode): boolean {
  return (
    (node.type === "binary_expression" || node.type === "binary_operator") &&
    ARITHMETIC_OPERATORS.has(node.childForFieldName("operator")?.type ?? "")
  );
}

const CONDITION_OWNERS = new Set([
  "if_statement",
  "elif_clause",
  "while_statement",
  "do_statement",
  "for_statement",
  "ternary_expression",
  "conditional_expression",
]);

/** The operator tokens of a binary-like node (several for chained Python comparisons). */
export function operatorTokens(node: SyntaxNode): SyntaxNode[] {
  if (!BINARY_TYPES.has(node.type)) return [];
  return node.children.filter((child) => !child.isNamed && child.type !== "(" && child.type !== ")");
}

/** The condition expression of an `if`/`while`/`for`/ternary node without its parentheses, or null. */
export function conditionOf(owner: SyntaxNode): SyntaxNode | null {
  let condition: SyntaxNode | null = null;
  if (owner.type === "conditional_expression") condition = owner.namedChild(1);
  else condition = owner.childForFieldName("condition");
  if (!condition) return null;
  if (condition.type === "expression_statement") condition = condition.namedChild(0);
  while (condition?.type === "parenthesized_expression" && condition.namedChildCount === 1)
    condition = condition.namedChild(0);
  return condition && condition.type !== "empty_statement" ? condition : null;
}

export function isConditionOwner(node: SyntaxNode): boolean {
  return CONDITION_OWNERS.has(node.type);
}

/** "`while` condition", "`return`", … : where an expression sits, for rationales. */
export function describePlace(node: SyntaxNode): string {
  for (let current: SyntaxNode | null = node; current; current = current.parent) {
    const parent = current.parent;
    if (!parent) break;
    if (isConditionOwner(parent)) {
      const condition = conditionOf(parent);
      if (condition && condition.startIndex <= node.startIndex && condition.endIndex >= node.endIndex) {
        return `in \`${keywordOf(parent)}\` condition at line ${lineOf(node)}`;
      }
    }
    if (parent.type === "for_in_statement" || parent.type === "for_statement") {
      return `in \`for\` header at line ${lineOf(node)}`;
    }
    if (parent.type === "return_statement") return `in \`return\` at line ${lineOf(node)}`;
    if (
      parent.type === "expression_statement" ||
      parent.type === "lexical_declaration" ||
      parent.type === "variable_declaration"
    )
      break;
  }
  return `at line ${lineOf(node)}`;
}

function keywordOf(owner: SyntaxNode): string {
  switch (owner.type) {
    case "elif_clause":
      return "elif";
    case "while_statement":
      return "while";
    case "do_statement":
      return "do-while";
    case "for_statement":
      return "for";
    case "ternary_expression":
    case "conditional_expression":
      return "ternary";
    default:
      return "if";
  }
}

/** Condition nodes of the control statements that enclose `node` (innermost first), and the loop iterables. */
export function enclosingControlExpressions(node: SyntaxNode, stopAt: SyntaxNode | null): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  for (
    let current = node.parent;
    current && !current.equals(stopAt ?? current.tree.rootNode);
    current = current.parent
  ) {
    if (isConditionOwner(current)) {
      const condition = conditionOf(current);
      if (condition) found.push(condition);
    }
    if (current.type === "for_statement") {
      const increment = current.childForFieldName("increment");
      if (increment) found.push(increment);
    }
    if (current.type === "for_in_statement" && current.childForFieldName("right")) {
      found.push(current.childForFieldName("right") as SyntaxNode);
    }
    if (isLoop(current) && found.length >= 4) break;
  }
  return found;
}

const NUMERIC_CALLS = new Set([
  "len",
  "int",
  "abs",
  "round",
  "min",
  "max",
  "sum",
  "parseInt",
  "Number",
  "floor",
  "ceil",
  "count",
]);

const NUMERIC_NAME =
  /^(?:i|j|k|n|m|x|y|z|lo|hi|mid|idx|[a-z]+(?:Index|Count|Total|Len|Length|Size|Start|End|Offset|Limit|Max|Min|Step|Width|Height|Depth|Level|Amount|Sum|Score|Ms|Seconds)|[a-z_]+_(?:index|count|total|len|length|size|start|end|offset|limit|max|min|step|width|height|depth|level|amount|sum|score|ms|seconds))$|^(?:index|count|total|len|length|size|start|end|stop|low|high|num|pos|offset|limit|max|min|step|width|height|depth|level|amount|sum|score|age|year|day|hour|minute|second)(?:[A-Z_\d]|s?$)/;

/** Names that the file treats as numbers: operands of arithmetic or ordering, counters, names assigned numbers. */
export function numericNamesOf(nodes: readonly SyntaxNode[]): Set<string> {
  const names = new Set<string>();
  for (const node of nodes) {
    if (node.type === "identifier" && NUMERIC_NAME.test(node.text)) names.add(node.text);
    const tokens = operatorTokens(node);
    const op = tokens[0]?.type ?? "";
    if (["-", "*", "/", "//", "%", "**", "<", "<=", ">", ">=", "-=", "*=", "/="].includes(op)) {
      for (const child of node.namedChildren) {
        if (child.type === "identifier") names.add(child.text);
        const property = child.childForFieldName("property") ?? child.childForFieldName("attribute");
        if ((child.type === "member_expression" || child.type === "attribute") && property)
          names.add(property.text);
      }
    }
    if (node.type === "update_expression") {
      const argument = node.namedChild(0);
      if (argument?.type === "identifier") names.add(argument.text);
    }
    if (node.type === "variable_declarator" || node.type === "assignment") {
      const name = node.childForFieldName("name") ?? node.childForFieldName("left");
      const value = node.childForFieldName("value") ?? node.childForFieldName("right");
      if (name?.type === "identifier" && value && /^(number|integer|float)$/.test(value.type))
        names.add(name.text);
    }
  }
  return names;
}

/** Whether an expression is plausibly a number (so that `± 1` makes sense); identifiers must be in `numericNames`. */
export function isNumericish(node: SyntaxNode, numericNames?: ReadonlySet<string>): boolean {
  switch (node.type) {
    case "number":
    case "integer":
    case "float":
      return true;
    case "identifier":
      if (/^(true|false|null|undefined|None|True|False|self|this)$/.test(node.text)) return false;
      return numericNames ? numericNames.has(node.text) : true;
    case "binary_expression":
    case "binary_operator": {
      if (!isArithmetic(node)) return false;
      const left = node.childForFieldName("left");
      const right = node.childForFieldName("right");
      return !!left && !!right && isNumericish(left, numericNames) && isNumericish(right, numericNames);
    }
    case "unary_expression":
    case "unary_operator": {
      const op = node.childForFieldName("operator")?.type ?? node.child(0)?.type;
      const argument = node.childForFieldName("argument") ?? node.namedChild(0);
      return op === "-" && !!argument && isNumericish(argument, numericNames);
    }
    case "member_expression":
    case "attribute": {
      const property =
        (node.childForFieldName("property") ?? node.childForFieldName("attribute"))?.text ?? "";
      if (numericNames?.has(property)) return true;
      return /^(length|size|count|index|start|end|limit|max|min|total|width|height|len|n|num)/i.test(
        property,
      );
    }
    case "call_expression":
    case "call": {
      const callee = node.childForFieldName("function");
      const name = callee?.text.split(".").pop() ?? "";
      return NUMERIC_CALLS.has(name) || /^(get)?(length|size|count|index)/i.test(name);
    }
    case "parenthesized_expression":
      return !!node.namedChild(0) && isNumericish(node.namedChild(0) as SyntaxNode, numericNames);
    default:
      return false;
  }
}

/** Splits `x + 1` / `x - 1` into the base and the signed constant, or null. */
export function plusMinusConstant(node: SyntaxNode): { base: SyntaxNode; delta: number } | null {
  if (node.type !== "binary_expression" && node.type !== "binary_operator") return null;
  const op = node.childForFieldName("operator")?.type;
  const left = node.childForFieldName("left");
  const right = node.childForFieldName("right");
  if (!left || !right || (op !== "+" && op !== "-")) return null;
  if ((right.type === "number" || right.type === "integer") && /^\d+$/.test(right.text)) {
    return { base: left, delta: (op === "+" ? 1 : -1) * Number(right.text) };
  }
  return null;
}
