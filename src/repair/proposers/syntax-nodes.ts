// Language-aware questions about tree-sitter nodes that the repair operators share (kinds, scopes, names, indentation).
import type { Language } from "../../core/types.js";
import type { SyntaxNode } from "../../runtime/tree-sitter.js";

export const FUNCTION_TYPES = new Set([
  "function_declaration",
  "function_expression",
  "function",
  "arrow_function",
  "method_definition",
  "generator_function_declaration",
  "generator_function",
  "function_definition",
  "lambda",
]);

const STATEMENT_CONTAINERS = new Set([
  "statement_block",
  "block",
  "program",
  "module",
  "switch_case",
  "switch_default",
]);

const LOOP_TYPES = new Set(["for_statement", "for_in_statement", "while_statement", "do_statement"]);

export const LITERAL_TYPES = new Set([
  "number",
  "integer",
  "float",
  "string",
  "template_string",
  "true",
  "false",
  "null",
  "undefined",
  "none",
  "concatenated_string",
]);

/** A tree's nodes in document order, with where each node's subtree ends, so that any subtree is one slice. */
interface TreeIndex {
  nodes: SyntaxNode[];
  positionById: Map<number, number>;
  subtreeEnd: number[];
}

const treeIndexes = new WeakMap<object, TreeIndex>();

function indexTree(root: SyntaxNode): TreeIndex {
  const nodes: SyntaxNode[] = [];
  const positionById = new Map<number, number>();
  const subtreeEnd: number[] = [];
  const open: number[] = [];
  const cursor = root.walk();
  try {
    for (;;) {
      const node = cursor.currentNode;
      positionById.set(node.id, nodes.length);
      open.push(nodes.length);
      nodes.push(node);
      if (cursor.gotoFirstChild()) continue;
      for (;;) {
        subtreeEnd[open.pop() as number] = nodes.length;
        if (open.length === 0 || cursor.gotoNextSibling()) break;
        cursor.gotoParent();
      }
      if (open.length === 0) return { nodes, positionById, subtreeEnd };
    }
  } finally {
    cursor.delete();
  }
}

/**
 * Every node under `root` (named and anonymous), in document order, including `root`. The operators ask this of
 * many overlapping subtrees, so each tree is walked once and every answer is a slice of that walk.
 */
export function allNodes(root: SyntaxNode): SyntaxNode[] {
  let index = treeIndexes.get(root.tree);
  if (!index) {
    index = indexTree(root.tree.rootNode);
    treeIndexes.set(root.tree, index);
  }
  const position = index.positionById.get(root.id);
  if (position === undefined) return indexTree(root).nodes;
  return index.nodes.slice(position, index.subtreeEnd[position]);
}

/** 1-based first line of a node. */
export function lineOf(node: SyntaxNode): number {
  return node.startPosition.row + 1;
}

/** 1-based last line of a node. */
export function endLineOf(node: SyntaxNode): number {
  return node.endPosition.row + 1;
}

export function overlapsLines(node: SyntaxNode, startLine: number, endLine: number): boolean {
  return lineOf(node) <= endLine && endLineOf(node) >= startLine;
}

export function isFunction(node: SyntaxNode): boolean {
  return FUNCTION_TYPES.has(node.type);
}

export function isLoop(node: SyntaxNode): boolean {
  return LOOP_TYPES.has(node.type);
}

/** The innermost function containing a node, or null at module level. */
export function enclosingFunction(node: SyntaxNode): SyntaxNode | null {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunction(current)) return current;
  }
  return null;
}

/** The innermost function around the first code of a line (so a callback written on the line does not count). */
export function functionAtLine(root: SyntaxNode, source: string, line: number): SyntaxNode | null {
  const lineText = source.split("\n")[line - 1] ?? "";
  const column = Math.max(0, lineText.search(/\S/));
  const node = root.descendantForPosition({ row: line - 1, column });
  if (!node) return null;
  return isFunction(node) ? node : enclosingFunction(node);
}

/** The name of a function node (declaration name, method name, or the variable it is assigned to). */
export function functionName(fn: SyntaxNode): string | null {
  const own = fn.childForFieldName("name");
  if (own) return own.text;
  const parent = fn.parent;
  if (parent?.type === "variable_declarator") return parent.childForFieldName("name")?.text ?? null;
  if (parent?.type === "assignment_expression" || parent?.type === "assignment") {
    const left = parent.childForFieldName("left");
    return left?.type === "identifier" ? left.text : null;
  }
  if (parent?.type === "pair") return parent.childForFieldName("key")?.text ?? null;
  return null;
}

export function isMethod(fn: SyntaxNode): boolean {
  if (fn.type === "method_definition") return true;
  return (
    fn.type === "function_definition" &&
    fn.parent?.type === "block" &&
    fn.parent.parent?.type === "class_definition"
  );
}

export function isAsyncFunction(fn: SyntaxNode): boolean {
  return fn.children.some((child) => !child.isNamed && child.type === "async");
}

/** The statement body of a function (a block), or null for an expression-bodied arrow function or lambda. */
export function functionBody(fn: SyntaxNode): SyntaxNode | null {
  const body = fn.childForFieldName("body");
  if (!body) return null;
  return body.type === "statement_block" || body.type === "block" ? body : null;
}

/** Parameter names of a function, in order (patterns and defaults reduced to their identifier). */
export function parameterNames(fn: SyntaxNode): string[] {
  const params = fn.childForFieldName("parameters") ?? fn.childForFieldName("parameter");
  if (!params) return [];
  if (params.type === "identifier") return [params.text];
  const names: string[] = [];
  for (const param of params.namedChildren) {
    const name = parameterIdentifier(param);
    if (name && name !== "self" && name !== "cls") names.push(name);
  }
  return names;
}

function parameterIdentifier(param: SyntaxNode): string | null {
  if (param.type === "identifier") return param.text;
  const inner =
    param.childForFieldName("pattern") ??
    param.childForFieldName("name") ??
    param.childForFieldName("left") ??
    param.namedChild(0);
  if (!inner || inner.equals(param)) return null;
  return inner.type === "identifier" ? inner.text : parameterIdentifier(inner);
}

/** Whether the node is a statement directly inside a block (a place where statements can be added or removed). */
export function isStatementInBlock(node: SyntaxNode): boolean {
  const parent = node.parent;
  return !!parent && STATEMENT_CONTAINERS.has(parent.type) && node.isNamed && !isComment(node);
}

export function isComment(node: SyntaxNode): boolean {
  return node.type === "comment" || node.type === "html_comment";
}

/** The statements of a block (named children that are not comments or braces). */
export function blockStatements(block: SyntaxNode): SyntaxNode[] {
  return block.namedChildren.filter((child) => !isComment(child));
}

/** The statement (direct child of a block) that contains a node, or null. */
export function enclosingStatement(node: SyntaxNode): SyntaxNode | null {
  for (let current: SyntaxNode | null = node; current; current = current.parent) {
    if (isStatementInBlock(current)) return current;
  }
  return null;
}

/** The leading whitespace of the line on which `index` lies. */
export function indentationAt(source: string, index: number): string {
  const lineStart = source.lastIndexOf("\n", index - 1) + 1;
  const match = /^[ \t]*/.exec(source.slice(lineStart, index + 1));
  return match?.[0] ?? "";
}

/** The start of the line holding `index`. */
export function lineStartIndex(source: string, index: number): number {
  return source.lastIndexOf("\n", index - 1) + 1;
}

/** One indentation step as used in the file (defaults to two spaces for JS/TS and four for Python). */
export function indentUnit(source: string, language: Language): string {
  const match = /\n([ \t]+)\S/.exec(source);
  const first = match?.[1];
  if (first?.startsWith("\t")) return "\t";
  if (first && first.length <= 4) return first;
  return language === "python" ? "    " : "  ";
}

/** JavaScript's built-in namespace objects: never undefined, never a stand-in for a variable (or the reverse). */
export const BUILTIN_NAMESPACES = new Set([
  "Array",
  "BigInt",
  "Boolean",
  "Date",
  "Intl",
  "JSON",
  "Math",
  "Number",
  "Object",
  "Promise",
  "Reflect",
  "String",
  "Symbol",
  "console",
]);

/** Whether an identifier names a built-in namespace object the code did not declare itself. */
export function isBuiltinNamespace(name: string, declared: readonly string[]): boolean {
  return BUILTIN_NAMESPACES.has(name) && !declared.includes(name);
}

/** Whether an identifier node is a use of a variable (not a declaration name, property, label or parameter). */
export function isVariableUse(node: SyntaxNode): boolean {
  if (node.type !== "identifier") return false;
  const parent = node.parent;
  if (!parent) return false;
  const field = fieldOf(node);
  if (isFunction(parent) && field !== "body") return false;
  if (parent.type === "class_definition" || parent.type === "class_declaration") return false;
  if (parent.type === "variable_declarator" && field === "name") return false;
  if (parent.type === "keyword_argument" && field === "name") return false;
  if (
    parent.type === "parameters" ||
    parent.type === "formal_parameters" ||
    parent.type === "lambda_parameters"
  )
    return false;
  if (
    parent.type === "default_parameter" ||
    parent.type === "typed_parameter" ||
    parent.type === "typed_default_parameter"
  )
    return field !== "name" && !parent.namedChild(0)?.equals(node);
  if (parent.type === "required_parameter" || parent.type === "optional_parameter") return false;
  if (parent.type === "import_specifier" || parent.type === "import_clause" || parent.type === "dotted_name")
    return false;
  if (parent.type === "aliased_import" || parent.type === "import_from_statement") return false;
  if (
    parent.type === "labeled_statement" ||
    parent.type === "break_statement" ||
    parent.type === "continue_statement"
  )
    return false;
  if (parent.type === "shorthand_property_identifier") return false;
  return true;
}

/** The field name under which a node hangs from its parent, or null. */
export function fieldOf(node: SyntaxNode): string | null {
  const parent = node.parent;
  if (!parent) return null;
  for (let i = 0; i < parent.childCount; i++) {
    if (parent.child(i)?.equals(node)) return parent.fieldNameForChild(i);
  }
  return null;
}

/** Whether a node is the callee of a call (`f` in `f(x)` or `o.m` in `o.m(x)`). */
export function isCallee(node: SyntaxNode): boolean {
  const parent = node.parent;
  return (
    !!parent &&
    (parent.type === "call_expression" || parent.type === "call") &&
    !!parent.childForFieldName("function")?.equals(node)
  );
}

/** Whether the node is on the left of an assignment (a write). */
export function isAssignmentTarget(node: SyntaxNode): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (
    parent.type === "assignment_expression" ||
    parent.type === "assignment" ||
    parent.type === "augmented_assignment" ||
    parent.type === "augmented_assignment_expression"
  ) {
    return !!parent.childForFieldName("left")?.equals(node);
  }
  return parent.type === "pattern_list" || parent.type === "for_in_clause";
}

/** Names declared or assigned inside a node (locals), in document order with first appearance. */
export function declaredNames(scope: SyntaxNode): string[] {
  const names = new Set<string>();
  for (const node of allNodes(scope)) {
    if (node.type === "variable_declarator") {
      const name = node.childForFieldName("name");
      if (name?.type === "identifier") names.add(name.text);
    } else if (
      node.type === "assignment" ||
      node.type === "augmented_assignment" ||
      node.type === "for_statement"
    ) {
      const left = node.childForFieldName("left");
      if (left?.type === "identifier") names.add(left.text);
      else if (left) for (const id of left.namedChildren) if (id.type === "identifier") names.add(id.text);
    } else if (node.type === "for_in_statement") {
      const left = node.childForFieldName("left");
      if (left?.type === "identifier") names.add(left.text);
    }
  }
  return [...names];
}

/** Names of functions and classes declared in the file (these are not variables to swap in). */
export function callableNames(root: SyntaxNode): Set<string> {
  const names = new Set<string>();
  for (const node of allNodes(root)) {
    if (isFunction(node) || node.type === "class_declaration" || node.type === "class_definition") {
      const name = node.type.startsWith("class") ? node.childForFieldName("name")?.text : functionName(node);
      if (name) names.add(name);
    }
  }
  return names;
}

/** Wraps expression text in parentheses unless the node is already a primary expression. */
export function asOperand(node: SyntaxNode, text = node.text): string {
  const primary = new Set([
    "identifier",
    "number",
    "integer",
    "float",
    "string",
    "member_expression",
    "attribute",
    "call_expression",
    "call",
    "subscript_expression",
    "subscript",
    "parenthesized_expression",
    "true",
    "false",
    "null",
    "none",
    "this",
    "array",
    "list",
  ]);
  return primary.has(node.type) ? text : `(${text})`;
}

/** Levenshtein distance (for ranking similar names). */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0] ?? 0;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j] ?? 0;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      previous[j] = Math.min(above + 1, (previous[j - 1] ?? 0) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return previous[b.length] ?? 0;
}

/** Similarity of two names in [0, 1]: edit distance, shared prefix and shared word parts. */
export function nameSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const lowerA = a.toLowerCase();
  const lowerB = b.toLowerCase();
  const distance = editDistance(lowerA, lowerB) / Math.max(lowerA.length, lowerB.length);
  let prefix = 0;
  while (prefix < Math.min(lowerA.length, lowerB.length) && lowerA[prefix] === lowerB[prefix]) prefix++;
  const partsA = new Set(nameParts(a));
  const shared = nameParts(b).filter((part) => partsA.has(part)).length;
  return Math.min(1, (1 - distance) * 0.6 + Math.min(prefix, 4) * 0.06 + Math.min(shared, 2) * 0.1);
}

/** The lower-case words of a camelCase or snake_case name. */
export function nameParts(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .split(/[_\d]+/)
    .filter((part) => part.length > 0);
}

export function isPython(language: Language): boolean {
  return language === "python";
}
