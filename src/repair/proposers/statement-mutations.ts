// Operators on whole statements: swap adjacent ones, delete one, insert one copied from nearby code.
import type { SyntaxNode } from "../../runtime/tree-sitter.js";
import type { OperatorContext } from "./edit-context.js";
import { snippet } from "./edit-context.js";
import { operatorTokens } from "./expression-shapes.js";
import {
  allNodes,
  blockStatements,
  callableNames,
  enclosingFunction,
  indentationAt,
  isComment,
  isFunction,
  isPython,
  isStatementInBlock,
  isVariableUse,
  lineOf,
  lineStartIndex,
} from "./syntax-nodes.js";

const DEFINITIONS = new Set([
  "function_declaration",
  "function_definition",
  "class_declaration",
  "class_definition",
  "decorated_definition",
  "import_statement",
  "import_from_statement",
  "export_statement",
  "method_definition",
  "generator_function_declaration",
]);

/** Statements of blocks overlapping the target lines (the innermost ones only). */
function targetStatements(context: OperatorContext): SyntaxNode[] {
  return context.targets.filter(
    (node) => isStatementInBlock(node) && !DEFINITIONS.has(node.type) && lineOf(node) >= context.startLine,
  );
}

/** The end of a statement including a comment that follows it on the same line. */
function endWithTrailingComment(context: OperatorContext, node: SyntaxNode): number {
  const lineEnd = context.source.indexOf("\n", node.endIndex);
  const end = lineEnd < 0 ? context.source.length : lineEnd;
  const rest = context.source.slice(node.endIndex, end).trim();
  return rest.startsWith("//") || rest.startsWith("#") ? end : node.endIndex;
}

function startsItsLine(context: OperatorContext, node: SyntaxNode): boolean {
  return context.source.slice(lineStartIndex(context.source, node.startIndex), node.startIndex).trim() === "";
}

/** Names (variables, `a.b` paths, method receivers) a statement writes or mutates. */
function writtenNames(statement: SyntaxNode): Set<string> {
  const names = new Set<string>();
  for (const node of allNodes(statement)) {
    if (
      /^(assignment|assignment_expression|augmented_assignment|augmented_assignment_expression|update_expression)$/.test(
        node.type,
      )
    ) {
      const target =
        node.childForFieldName("left") ?? node.childForFieldName("argument") ?? node.namedChild(0);
      if (target) names.add(target.text);
    }
    if (node.type === "call_expression" || node.type === "call") {
      const callee = node.childForFieldName("function");
      const receiver = callee?.childForFieldName("object");
      if (receiver) names.add(receiver.text);
    }
  }
  return names;
}

/** Whether running two statements in the other order can change the result (one writes what the other uses). */
function orderDependent(first: SyntaxNode, second: SyntaxNode): boolean {
  const firstWrites = writtenNames(first);
  const secondWrites = writtenNames(second);
  const uses = (statement: SyntaxNode, names: Set<string>) =>
    allNodes(statement).some(
      (node) =>
        (node.type === "identifier" || node.type === "member_expression" || node.type === "attribute") &&
        names.has(node.text),
    );
  return uses(first, secondWrites) || uses(second, firstWrites);
}

/** The previous (-1) or next (+1) statement of the same block, skipping comments. */
function siblingStatement(statement: SyntaxNode, direction: -1 | 1): SyntaxNode | null {
  let current = direction < 0 ? statement.previousNamedSibling : statement.nextNamedSibling;
  while (current && isComment(current))
    current = direction < 0 ? current.previousNamedSibling : current.nextNamedSibling;
  return current;
}

/** swap_statements: swap a target statement with the next one in its block. */
export function swapStatements(context: OperatorContext): void {
  const seen = new Set<number>();
  for (const statement of targetStatements(context)) {
    for (const [first, second] of [
      [siblingStatement(statement, -1), statement],
      [statement, siblingStatement(statement, 1)],
    ] as const) {
      if (!first || !second || seen.has(first.id)) continue;
      if (
        first.type === "comment" ||
        second.type === "comment" ||
        DEFINITIONS.has(first.type) ||
        DEFINITIONS.has(second.type)
      )
        continue;
      if (/^(return_statement|else_clause|elif_clause|except_clause|finally_clause)$/.test(first.type))
        continue;
      if (
        /^(return_statement|else_clause|elif_clause|except_clause|finally_clause|raise_statement|throw_statement)$/.test(
          second.type,
        )
      )
        continue;
      if (!startsItsLine(context, first) || !startsItsLine(context, second)) continue;
      seen.add(first.id);
      const firstEnd = endWithTrailingComment(context, first);
      const secondEnd = endWithTrailingComment(context, second);
      const between = context.source.slice(firstEnd, second.startIndex);
      const firstText = context.source.slice(first.startIndex, firstEnd);
      const secondText = context.source.slice(second.startIndex, secondEnd);
      context.emit("swap_statements", {
        start: first.startIndex,
        end: secondEnd,
        text: `${secondText}${between}${firstText}`,
        rationale: `swap \`${snippet(first.text)}\` (line ${lineOf(first)}) with \`${snippet(second.text)}\` (line ${lineOf(second)})`,
        bonus: orderDependent(first, second) ? 16 : 0,
        anchor: first,
      });
    }
  }
}

function declaredBy(statement: SyntaxNode): string[] {
  const names: string[] = [];
  if (statement.type === "lexical_declaration" || statement.type === "variable_declaration") {
    for (const declarator of statement.namedChildren) {
      const name = declarator.childForFieldName("name");
      if (name?.type === "identifier") names.push(name.text);
    }
  }
  if (statement.type === "expression_statement") {
    const expression = statement.namedChild(0);
    if (expression?.type === "assignment") {
      const left = expression.childForFieldName("left");
      if (left?.type === "identifier") names.push(left.text);
    }
  }
  return names;
}

/** delete_statement: delete one statement (not a declaration whose name is still used afterwards). */
export function deleteStatements(context: OperatorContext): void {
  const python = isPython(context.language);
  for (const statement of targetStatements(context)) {
    if (!startsItsLine(context, statement)) continue;
    const block = statement.parent;
    if (!block) continue;
    const declared = declaredBy(statement);
    const scope = enclosingFunction(statement) ?? context.root;
    const usedLater = declared.some((name) =>
      allNodes(scope).some(
        (node) =>
          node.type === "identifier" &&
          node.text === name &&
          node.startIndex > statement.endIndex &&
          isVariableUse(node),
      ),
    );
    const redefinedLater = declared.length > 0 && statement.type === "expression_statement";
    if (usedLater && !redefinedLater) continue;
    const siblings = blockStatements(block);
    const onlyStatement = siblings.length === 1;
    const lineStart = lineStartIndex(context.source, statement.startIndex);
    const lineEnd = context.source.indexOf("\n", statement.endIndex);
    const restOfLine = context.source.slice(
      statement.endIndex,
      lineEnd < 0 ? context.source.length : lineEnd,
    );
    if (restOfLine.trim() !== "" && !restOfLine.trim().startsWith("#") && !restOfLine.trim().startsWith("//"))
      continue;
    const destructive =
      /\.(delete|clear|remove|pop|shift|splice|reset|discard|popleft)\(|\bdel\b|\bdelete\b|= *(\[\]|\{\}|null|None|0)\s*;?$/.test(
        statement.text,
      );
    const bonus =
      statement.type === "return_statement" || statement.type === "if_statement"
        ? -4
        : statement.type === "expression_statement"
          ? destructive
            ? 20
            : 2
          : 0;
    if (onlyStatement) {
      if (!python) continue;
      context.emit("delete_statement", {
        start: statement.startIndex,
        end: statement.endIndex,
        text: "pass",
        rationale: `delete \`${snippet(statement.text)}\` at line ${lineOf(statement)}`,
        bonus,
        anchor: statement,
      });
      continue;
    }
    context.emit("delete_statement", {
      start: lineStart,
      end: lineEnd < 0 ? context.source.length : lineEnd + 1,
      text: "",
      rationale: `delete \`${snippet(statement.text)}\` at line ${lineOf(statement)}`,
      bonus,
      anchor: statement,
    });
  }
}

const INSERTABLE = new Set([
  "expression_statement",
  "break_statement",
  "continue_statement",
  "return_statement",
  "if_statement",
  "variable_declaration",
]);

interface Donor {
  text: string;
  type: string;
  /** Where it comes from, for the rationale. */
  origin: string;
  rank: number;
  /** Extra priority: the code itself shows the statement is missing (a collection tested but never filled). */
  boost?: number;
}

/** Priority of filling a collection that the function tests for membership but never fills. */
const UNFILLED_COLLECTION_BOOST = 20;

/** Short statements of the file that only use names visible at the target: the donors for insert_statement. */
function donorStatements(context: OperatorContext): Donor[] {
  const visible = new Set(context.variables);
  const callables = context.memo("callables", () => callableNames(context.root));
  for (const node of context.fileNodes) {
    if (!context.fn && node.type === "identifier") visible.add(node.text);
  }
  const donors: Donor[] = [];
  const texts = new Set<string>();
  const counters: SyntaxNode[] = [];
  for (const node of context.fileNodes) {
    if (!isStatementInBlock(node) || !INSERTABLE.has(node.type)) continue;
    if (node.text.includes("\n") || node.text.length > 80) continue;
    if (node.type === "expression_statement" && node.namedChild(0)?.type === "string") continue;
    if (
      /^(augmented_assignment|augmented_assignment_expression|update_expression)$/.test(
        node.namedChild(0)?.type ?? "",
      )
    )
      counters.push(node);
    const usesOnlyVisible = allNodes(node).every(
      (child) =>
        child.type !== "identifier" ||
        !isVariableUse(child) ||
        visible.has(child.text) ||
        callables.has(child.text) ||
        isBuiltinName(child.text),
    );
    if (!usesOnlyVisible || texts.has(node.text)) continue;
    texts.add(node.text);
    donors.push({
      text: node.text,
      type: node.type,
      origin: `from line ${lineOf(node)}`,
      rank: donorRank(context, node),
    });
  }
  for (const name of neverUpdatedCounters(context)) {
    for (const counter of counters) {
      const target = counter.namedChild(0)?.namedChild(0);
      if (target?.type !== "identifier" || target.text === name) continue;
      const text = `${context.source.slice(counter.startIndex, target.startIndex)}${name}${context.source.slice(target.endIndex, counter.endIndex)}`;
      if (texts.has(text)) continue;
      texts.add(text);
      donors.push({
        text,
        type: counter.type,
        origin: `like line ${lineOf(counter)}`,
        rank: donorRank(context, counter) - 8,
      });
    }
  }
  for (const { text, origin } of unfilledCollections(context)) {
    if (texts.has(text)) continue;
    texts.add(text);
    donors.push({ text, type: "expression_statement", origin, rank: -10, boost: UNFILLED_COLLECTION_BOOST });
  }
  return donors.sort((a, b) => a.rank - b.rank).slice(0, 16);
}

/** How a collection started empty is filled, by its initial value: Python `set()`/`[]`, JS `new Set()`/`[]`. */
const FILL_METHODS: ReadonlyArray<[RegExp, string]> = [
  [/^set\(\)$/, "add"],
  [/^\[\]$/, "append"],
  [/^new Set\(\)$/, "add"],
];

/**
 * Statements that fill a collection the function tests for membership but never adds to (a `seen` set that
 * nothing marks): `seen.add(node)` for `node in seen` / `seen.has(node)`, and for the loop variables around the test.
 */
function unfilledCollections(context: OperatorContext): Array<{ text: string; origin: string }> {
  const fn = context.fn;
  if (!fn) return [];
  const python = isPython(context.language);
  const collections = new Map<string, string>();
  const filled = new Set<string>();
  const tested = new Map<string, string[]>();
  for (const node of allNodes(fn)) {
    const name = node.childForFieldName("name") ?? node.childForFieldName("left");
    const value = node.childForFieldName("value") ?? node.childForFieldName("right");
    const declares = node.type === "variable_declarator" || node.type === "assignment";
    if (declares && name?.type === "identifier" && value) {
      const method = FILL_METHODS.find(([pattern]) => pattern.test(value.text.replace(/\s+/g, " ")))?.[1];
      if (method) collections.set(name.text, method === "append" && !python ? "push" : method);
    }
    if (node.type === "call" || node.type === "call_expression") {
      const callee = node.childForFieldName("function");
      const object = callee?.childForFieldName("object");
      const property = callee?.childForFieldName("attribute") ?? callee?.childForFieldName("property");
      const argument = node.childForFieldName("arguments")?.namedChild(0);
      if (object?.type === "identifier" && property) {
        if (/^(add|append|push|update|extend|insert|unshift|set)$/.test(property.text))
          filled.add(object.text);
        if (/^(has|includes)$/.test(property.text) && argument)
          tested.set(object.text, [...(tested.get(object.text) ?? []), argument.text]);
      }
    }
    if (node.type === "comparison_operator") {
      const operators = operatorTokens(node).map((token) => token.type);
      const [left, right] = [node.namedChild(0), node.namedChild(1)];
      if (
        node.namedChildCount === 2 &&
        left &&
        right?.type === "identifier" &&
        operators.some((op) => op === "in" || op === "not in")
      )
        tested.set(right.text, [...(tested.get(right.text) ?? []), left.text]);
    }
  }
  const statements: Array<{ text: string; origin: string }> = [];
  for (const [name, method] of collections) {
    if (filled.has(name)) continue;
    const elements = [...new Set(tested.get(name) ?? [])].filter((text) => /^[\w$.]+$/.test(text));
    for (const element of elements.slice(0, 2)) {
      statements.push({
        text: `${name}.${method}(${element})${python ? "" : ";"}`,
        origin: `\`${name}\` is tested for \`${element}\` but never filled`,
      });
    }
  }
  return statements;
}

/** Locals initialised to a number that nothing updates afterwards (a counter whose increment is missing). */
function neverUpdatedCounters(context: OperatorContext): string[] {
  const fn = context.fn;
  if (!fn) return [];
  const initialised = new Set<string>();
  const updated = new Set<string>();
  for (const node of allNodes(fn)) {
    const name = node.childForFieldName("name") ?? node.childForFieldName("left");
    const value = node.childForFieldName("value") ?? node.childForFieldName("right");
    if (
      (node.type === "variable_declarator" || node.type === "assignment") &&
      name?.type === "identifier" &&
      value
    ) {
      if (/^(number|integer|float)$/.test(value.type)) {
        if (initialised.has(name.text)) updated.add(name.text);
        initialised.add(name.text);
      } else updated.add(name.text);
    }
    if (node.type === "assignment_expression" && name?.type === "identifier") updated.add(name.text);
    if (/^(augmented_assignment|augmented_assignment_expression|update_expression)$/.test(node.type)) {
      const target = node.namedChild(0);
      if (target?.type === "identifier") updated.add(target.text);
    }
  }
  return [...initialised].filter((name) => !updated.has(name));
}

function donorRank(context: OperatorContext, node: SyntaxNode): number {
  const inSameFunction = !!context.fn && !!enclosingFunction(node)?.equals(context.fn);
  const updates = /\+\+|--|\+=|-=|append|push|add\(/.test(node.text);
  return Math.abs(lineOf(node) - context.focusStart) * 0.2 + (inSameFunction ? 0 : 6) - (updates ? 4 : 0);
}

/** Whether `donor` updates a variable of an enclosing `while` condition that the loop body never updates. */
function updatesStalledLoop(statement: SyntaxNode, donor: Donor): boolean {
  const updated =
    /^\s*([A-Za-z_$][\w$]*)\s*(\+\+|--|[-+*/]=)|^\s*(\+\+|--)([A-Za-z_$][\w$]*)|^\s*([A-Za-z_$][\w$]*)\.(shift|pop|popleft|next|advance|dequeue|splice|read)\(/.exec(
      donor.text,
    );
  const name = updated?.[1] ?? updated?.[4] ?? updated?.[5];
  if (!name) return false;
  for (let current = statement.parent; current && !isFunction(current); current = current.parent) {
    if (current.type !== "while_statement") continue;
    const condition = current.childForFieldName("condition");
    const body = current.childForFieldName("body");
    const mentioned = condition
      ? allNodes(condition).some((node) => node.type === "identifier" && node.text === name)
      : false;
    if (!mentioned || !body) return false;
    const mutators = /^(shift|pop|popleft|next|advance|dequeue|splice|read|remove|clear)$/;
    return !allNodes(body).some((node) => {
      if (
        /^(augmented_assignment|augmented_assignment_expression|update_expression|assignment|assignment_expression)$/.test(
          node.type,
        )
      ) {
        return node.namedChild(0)?.text === name;
      }
      if (node.type === "member_expression" || node.type === "attribute") {
        const property = node.childForFieldName("property") ?? node.childForFieldName("attribute");
        return node.childForFieldName("object")?.text === name && mutators.test(property?.text ?? "");
      }
      return false;
    });
  }
  return false;
}

function isBuiltinName(name: string): boolean {
  return /^(len|range|print|str|int|float|list|dict|set|tuple|min|max|sum|abs|sorted|Math|Number|String|Array|Object|JSON|console|undefined|NaN|Infinity|isNaN|parseInt|parseFloat|Boolean|None|True|False)$/.test(
    name,
  );
}

/** insert_statement: copy a nearby statement (e.g. a missing `i += 1`) before or after a target statement. */
export function insertStatements(context: OperatorContext): void {
  const statements = targetStatements(context)
    .filter((statement) => startsItsLine(context, statement))
    .slice(0, 4);
  if (statements.length === 0) return;
  const donors = context.memo("donors", () => donorStatements(context));
  if (donors.length === 0) return;
  for (const statement of statements) {
    const indent = indentationAt(context.source, statement.startIndex);
    const insideLoop = (() => {
      for (let current = statement.parent; current && !isFunction(current); current = current.parent) {
        if (/^(for_statement|for_in_statement|while_statement|do_statement)$/.test(current.type)) return true;
      }
      return false;
    })();
    donors.forEach((donor, rank) => {
      if (donor.text === statement.text) return;
      if ((donor.type === "break_statement" || donor.type === "continue_statement") && !insideLoop) return;
      const bonus = 4 - Math.floor(rank / 2) + (donor.boost ?? 0);
      const endsFlow =
        /^(return_statement|break_statement|continue_statement|throw_statement|raise_statement)$/.test(
          statement.type,
        );
      const end = endWithTrailingComment(context, statement);
      if (!endsFlow)
        context.emit("insert_statement", {
          start: end,
          end,
          text: `\n${indent}${donor.text}`,
          rationale: `insert \`${snippet(donor.text)}\` (${donor.origin}) after line ${lineOf(statement)}`,
          bonus: bonus + (updatesStalledLoop(statement, donor) ? 20 : 0),
          anchor: statement,
        });
      context.emit("insert_statement", {
        start: statement.startIndex,
        end: statement.startIndex,
        text: `${donor.text}\n${indent}`,
        rationale: `insert \`${snippet(donor.text)}\` (${donor.origin}) before line ${lineOf(statement)}`,
        bonus: bonus - 1,
        anchor: statement,
      });
    });
  }
}
