// Operators on binary expressions: replace the operator (binary_operator), swap operands (swap_operands) and boundary tweaks (off_by_one).
import type { SyntaxNode } from "../../runtime/tree-sitter.js";
import type { OperatorContext } from "./edit-context.js";
import { snippet } from "./edit-context.js";
import {
  describePlace,
  isArithmetic,
  isNumericish,
  operatorTokens,
  plusMinusConstant,
} from "./expression-shapes.js";
import { asOperand, isCallee, isPython, lineOf } from "./syntax-nodes.js";

const JS_CLASSES: string[][] = [
  ["+", "-", "*", "/", "%", "**"],
  ["<", "<=", ">", ">=", "==", "!=", "===", "!=="],
  ["&&", "||", "??"],
  ["&", "|", "^", "<<", ">>", ">>>"],
  ["+=", "-=", "*=", "/=", "%=", "**="],
  ["&&=", "||=", "??="],
  ["&=", "|=", "^=", "<<=", ">>=", ">>>="],
];

const PY_CLASSES: string[][] = [
  ["+", "-", "*", "/", "//", "%", "**"],
  ["<", "<=", ">", ">=", "==", "!="],
  ["is", "is not", "==", "!="],
  ["in", "not in"],
  ["and", "or"],
  ["&", "|", "^", "<<", ">>"],
  ["+=", "-=", "*=", "/=", "//=", "%=", "**="],
];

/** Replacements judged most likely to be the intended operator (the classic one-token bugs). */
const NEAR: Record<string, string[]> = {
  "<": ["<=", ">"],
  "<=": ["<", ">="],
  ">": [">=", "<"],
  ">=": [">", "<="],
  "==": ["!=", "==="],
  "!=": ["==", "!=="],
  "===": ["!==", "=="],
  "!==": ["===", "!="],
  "+": ["-"],
  "-": ["+"],
  "*": ["/", "+"],
  "/": ["*", "//"],
  "//": ["/", "%"],
  "%": ["//", "/"],
  "**": ["*"],
  "&&": ["||"],
  "||": ["&&", "??"],
  "??": ["||"],
  and: ["or"],
  or: ["and"],
  is: ["is not", "=="],
  "is not": ["is", "!="],
  in: ["not in"],
  "not in": ["in"],
  "+=": ["-="],
  "-=": ["+="],
  "*=": ["/="],
  "/=": ["*="],
};

const NON_COMMUTATIVE = new Set([
  "-",
  "/",
  "//",
  "%",
  "**",
  "<",
  "<=",
  ">",
  ">=",
  "<<",
  ">>",
  ">>>",
  "in",
  "not in",
]);

const INVERTED_COMPARISON: Record<string, string> = {
  "<": ">=",
  "<=": ">",
  ">": "<=",
  ">=": "<",
  "==": "!=",
  "!=": "==",
  "===": "!==",
  "!==": "===",
  is: "is not",
  "is not": "is",
  in: "not in",
  "not in": "in",
};

export function invertedComparison(operator: string): string | undefined {
  return INVERTED_COMPARISON[operator];
}

function operatorClasses(context: OperatorContext): string[][] {
  return isPython(context.language) ? PY_CLASSES : JS_CLASSES;
}

const ORDERING = new Set(["<", "<=", ">", ">="]);

/** Whether a comparison has a string literal operand (`ch === "'"`, `name == ""`). */
function comparesWithText(node: SyntaxNode): boolean {
  return node.namedChildren.some((child) => child.type === "string" || child.type === "template_string");
}

/** binary_operator: every other operator of the same class, near ones first. */
export function replaceBinaryOperators(context: OperatorContext): void {
  for (const node of context.targets) {
    for (const token of operatorTokens(node)) {
      const current = token.type;
      const alternatives = new Set<string>();
      for (const group of operatorClasses(context))
        if (group.includes(current)) for (const op of group) alternatives.add(op);
      alternatives.delete(current);
      const near = NEAR[current] ?? [];
      const againstText = comparesWithText(node);
      for (const replacement of alternatives) {
        const nearIndex = near.indexOf(replacement);
        // Ordering a value against a string literal (`c > "'"`) reads unnaturally: rarely the intended code.
        const unnatural = againstText && ORDERING.has(replacement) && !ORDERING.has(current) ? -20 : 0;
        context.emit("binary_operator", {
          start: token.startIndex,
          end: token.endIndex,
          text: replacement,
          rationale: `replace \`${current}\` with \`${replacement}\` in \`${snippet(node.text)}\` ${describePlace(node)}`,
          bonus: (nearIndex === 0 ? 12 : nearIndex > 0 ? 8 : -8) + unnatural,
          anchor: token,
        });
      }
    }
  }
}

/** swap_operands: swap the sides of non-commutative operators (and string `+`), and swap pairs of call arguments. */
export function swapOperands(context: OperatorContext): void {
  for (const node of context.targets) {
    if (
      node.type === "binary_expression" ||
      node.type === "binary_operator" ||
      node.type === "comparison_operator"
    ) {
      const tokens = operatorTokens(node);
      const token = tokens[0];
      if (tokens.length !== 1 || !token) continue;
      const left = node.childForFieldName("left") ?? node.namedChild(0);
      const right = node.childForFieldName("right") ?? node.namedChild(1);
      if (!left || !right) continue;
      const isConcat = token.type === "+" && (left.type.includes("string") || right.type.includes("string"));
      if (!NON_COMMUTATIVE.has(token.type) && !isConcat) continue;
      context.emit("swap_operands", {
        start: left.startIndex,
        end: right.endIndex,
        text: `${right.text}${context.source.slice(left.endIndex, right.startIndex)}${left.text}`,
        rationale: `swap the operands of \`${token.type}\` ${describePlace(node)}`,
        bonus:
          (token.type === "-" || token.type === "/" ? 4 : 0) +
          (token.type === "-" && insideReturnOrComparator(node) ? 6 : 0),
        anchor: node,
      });
    } else if (node.type === "arguments" || node.type === "argument_list") {
      const args = node.namedChildren.filter(
        (arg) => arg.type !== "comment" && arg.type !== "keyword_argument",
      );
      if (args.length < 2 || args.length > 5) continue;
      const pairs: Array<[number, number]> = [];
      for (let i = 0; i + 1 < args.length; i++) pairs.push([i, i + 1]);
      if (args.length > 2) pairs.push([0, args.length - 1]);
      const calleeName = node.parent?.childForFieldName("function")?.text.split(".").pop() ?? "";
      const orderMatters = /compar|cmp|diff|sub|minus|less|greater|before|after|between|swap|assert/i.test(
        calleeName,
      );
      for (const [i, j] of pairs) {
        const first = args[i] as SyntaxNode;
        const second = args[j] as SyntaxNode;
        if (first.text === second.text) continue;
        const between = context.source.slice(first.endIndex, second.startIndex);
        context.emit("swap_operands", {
          start: first.startIndex,
          end: second.endIndex,
          text: `${second.text}${between}${first.text}`,
          bonus: orderMatters ? 18 : 0,
          rationale: `swap arguments ${i + 1} and ${j + 1} of \`${snippet(node.parent?.childForFieldName("function")?.text ?? "call")}\` at line ${lineOf(node)}`,
          anchor: node,
        });
      }
    }
  }
}

function insideReturnOrComparator(node: SyntaxNode): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === "return_statement" || current.type === "arrow_function") return true;
    if (current.type.includes("statement") || current.type.includes("declaration")) return false;
  }
  return false;
}

/** Places where a numeric expression is a boundary: indices, loop bounds, range/slice arguments, returned values. */
function boundaryExpressions(context: OperatorContext): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  const add = (node: SyntaxNode | null | undefined) => {
    if (node && isNumericish(node, context.numericNames) && !found.some((existing) => existing.equals(node)))
      found.push(node);
  };
  for (const node of context.targets) {
    switch (node.type) {
      case "subscript_expression":
        add(node.childForFieldName("index"));
        break;
      case "subscript": {
        const index = node.childForFieldName("subscript");
        if (index && index.type !== "slice") add(index);
        break;
      }
      case "binary_expression":
      case "binary_operator":
      case "comparison_operator": {
        const op = operatorTokens(node)[0]?.type ?? "";
        if (["<", "<=", ">", ">=", "==", "!=", "===", "!=="].includes(op)) {
          add(node.childForFieldName("right") ?? node.namedChild(1));
          add(node.childForFieldName("left") ?? node.namedChild(0));
        } else if (["*", "/", "//", "%", "+", "-"].includes(op)) {
          for (const side of [node.childForFieldName("left"), node.childForFieldName("right")]) {
            if (
              side?.type === "identifier" ||
              side?.type === "member_expression" ||
              side?.type === "attribute"
            )
              add(side);
          }
        }
        break;
      }
      case "return_statement":
        add(node.namedChild(0));
        break;
      case "call":
      case "call_expression": {
        const callee = node.childForFieldName("function")?.text ?? "";
        const name = callee.split(".").pop() ?? "";
        if (
          /^(range|slice|substring|substr|splice|repeat|padStart|padEnd|at|insert|pop|charAt|get|take|round|toFixed)$/.test(
            name,
          )
        ) {
          for (const arg of node.childForFieldName("arguments")?.namedChildren ?? []) add(arg);
        }
        break;
      }
      case "variable_declarator":
        add(node.childForFieldName("value"));
        break;
      case "assignment":
      case "assignment_expression":
        add(node.childForFieldName("right"));
        break;
      default:
        break;
    }
  }
  return found;
}

/** off_by_one: `<`↔`<=`, `>`↔`>=` and `x` → `x ± 1` on boundary expressions (or dropping an existing `± 1`). */
export function offByOne(context: OperatorContext): void {
  for (const node of context.targets) {
    for (const token of operatorTokens(node)) {
      const swap: Record<string, string> = { "<": "<=", "<=": "<", ">": ">=", ">=": ">" };
      const replacement = swap[token.type];
      if (!replacement) continue;
      context.emit("off_by_one", {
        start: token.startIndex,
        end: token.endIndex,
        text: replacement,
        rationale: `replace \`${token.type}\` with \`${replacement}\` ${describePlace(node)}`,
        bonus: 14,
        anchor: token,
      });
    }
  }
  for (const expression of boundaryExpressions(context)) {
    if (isCallee(expression)) continue;
    const place = describePlace(expression);
    const split = plusMinusConstant(expression);
    if (split && Math.abs(split.delta) === 1) {
      context.emit("off_by_one", {
        start: expression.startIndex,
        end: expression.endIndex,
        text: split.base.text,
        rationale: `drop \`${split.delta > 0 ? "+ 1" : "- 1"}\` from \`${snippet(expression.text)}\` ${place}`,
        bonus: 14,
        anchor: expression,
      });
      continue;
    }
    const isLiteral = expression.type === "number" || expression.type === "integer";
    if (isLiteral) continue;
    const parentOp = operatorTokens(expression.parent ?? expression)[0]?.type ?? "";
    const needsParentheses =
      ["*", "/", "//", "%", "**"].includes(parentOp) ||
      (parentOp === "-" && !!expression.parent?.childForFieldName("right")?.equals(expression));
    for (const delta of ["+ 1", "- 1"]) {
      const sum = `${asOperandForSum(expression)} ${delta}`;
      const text = needsParentheses ? `(${sum})` : sum;
      context.emit("off_by_one", {
        start: expression.startIndex,
        end: expression.endIndex,
        text,
        rationale: `use \`${snippet(text)}\` instead of \`${snippet(expression.text)}\` ${place}`,
        bonus: 6,
        anchor: expression,
      });
    }
  }
}

function asOperandForSum(node: SyntaxNode): string {
  if (isArithmetic(node)) return node.text;
  if (node.type === "unary_expression" || node.type === "unary_operator") return node.text;
  return asOperand(node);
}
