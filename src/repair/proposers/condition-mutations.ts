// negate_condition: negate if/while/ternary conditions, drop one side of `&&`/`and`, drop a `!`/`not`.
import type { SyntaxNode } from "../../runtime/tree-sitter.js";
import type { OperatorContext } from "./edit-context.js";
import { snippet } from "./edit-context.js";
import { conditionOf, describePlace, isConditionOwner, operatorTokens } from "./expression-shapes.js";
import { invertedComparison } from "./operator-mutations.js";
import { asOperand, isPython } from "./syntax-nodes.js";

/** The control statement whose condition is exactly `node`, or null. */
function ownerOfCondition(node: SyntaxNode): SyntaxNode | null {
  let parent = node.parent;
  while (parent && (parent.type === "parenthesized_expression" || parent.type === "expression_statement"))
    parent = parent.parent;
  if (parent && isConditionOwner(parent) && conditionOf(parent)?.equals(node)) return parent;
  return null;
}

function negationArgument(node: SyntaxNode): SyntaxNode | null {
  if (node.type === "not_operator") return node.childForFieldName("argument");
  if (node.type === "unary_expression" && node.childForFieldName("operator")?.type === "!")
    return node.childForFieldName("argument");
  return null;
}

function unwrapParentheses(node: SyntaxNode): SyntaxNode {
  let current = node;
  while (current.type === "parenthesized_expression" && current.namedChildCount === 1)
    current = current.namedChild(0) as SyntaxNode;
  return current;
}

function negatedText(node: SyntaxNode, python: boolean): string {
  if (python) {
    const simple = [
      "identifier",
      "attribute",
      "call",
      "subscript",
      "parenthesized_expression",
      "true",
      "false",
      "none",
    ];
    return simple.includes(node.type) ? `not ${node.text}` : `not (${node.text})`;
  }
  return `!${asOperand(node)}`;
}

export function negateConditions(context: OperatorContext): void {
  const python = isPython(context.language);
  for (const node of context.targets) {
    const owner = ownerOfCondition(node);
    if (owner) {
      const place = describePlace(node);
      const inner = negationArgument(node);
      const tokens = operatorTokens(node);
      const inverted = tokens.length === 1 && tokens[0] ? invertedComparison(tokens[0].type) : undefined;
      if (inner) {
        context.emit("negate_condition", {
          start: node.startIndex,
          end: node.endIndex,
          text: unwrapParentheses(inner).text,
          rationale: `drop the negation of \`${snippet(node.text)}\` ${place}`,
          bonus: 10,
          anchor: node,
        });
      } else if (
        inverted &&
        tokens[0] &&
        (node.type === "comparison_operator" || node.type === "binary_expression")
      ) {
        context.emit("negate_condition", {
          start: tokens[0].startIndex,
          end: tokens[0].endIndex,
          text: inverted,
          rationale: `negate \`${snippet(node.text)}\` (use \`${inverted}\`) ${place}`,
          bonus: 8,
          anchor: node,
        });
      }
      if (!inner) {
        context.emit("negate_condition", {
          start: node.startIndex,
          end: node.endIndex,
          text: negatedText(node, python),
          rationale: `negate the condition \`${snippet(node.text)}\` ${place}`,
          bonus: 6,
          anchor: node,
        });
      }
    }
    if (node.type === "binary_expression" || node.type === "boolean_operator") {
      const op = operatorTokens(node)[0]?.type ?? "";
      if (op !== "&&" && op !== "||" && op !== "and" && op !== "or") continue;
      const left = node.childForFieldName("left");
      const right = node.childForFieldName("right");
      if (!left || !right) continue;
      for (const [kept, dropped] of [
        [left, right],
        [right, left],
      ] as const) {
        context.emit("negate_condition", {
          start: node.startIndex,
          end: node.endIndex,
          text: kept.text,
          rationale: `drop \`${snippet(dropped.text)}\` from \`${op}\` ${describePlace(node)}`,
          bonus: 4,
          anchor: node,
        });
      }
      for (const side of [left, right]) {
        const sideTokens = operatorTokens(unwrapParentheses(side));
        const sideOp = sideTokens.length === 1 ? sideTokens[0] : undefined;
        const inverse = sideOp ? invertedComparison(sideOp.type) : undefined;
        const sideInner = negationArgument(unwrapParentheses(side));
        if (sideOp && inverse) {
          context.emit("negate_condition", {
            start: sideOp.startIndex,
            end: sideOp.endIndex,
            text: inverse,
            rationale: `negate \`${snippet(side.text)}\` inside \`${op}\` ${describePlace(node)}`,
            bonus: 2,
            anchor: side,
          });
        } else if (!sideInner) {
          context.emit("negate_condition", {
            start: side.startIndex,
            end: side.endIndex,
            text: negatedText(side, python),
            rationale: `negate \`${snippet(side.text)}\` inside \`${op}\` ${describePlace(node)}`,
            bonus: 0,
            anchor: side,
          });
        }
      }
    }
    const inner = negationArgument(node);
    if (inner && !owner) {
      context.emit("negate_condition", {
        start: node.startIndex,
        end: node.endIndex,
        text: unwrapParentheses(inner).text,
        rationale: `drop \`${python ? "not" : "!"}\` from \`${snippet(node.text)}\` ${describePlace(node)}`,
        bonus: 6,
        anchor: node,
      });
    }
  }
}
