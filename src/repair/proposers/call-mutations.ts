// Operators on calls: another function (replace_call), wrapping (wrap_call), recursion (recursive_call), missing return/await/() (add_call_or_return).
import type { SyntaxNode } from "../../runtime/tree-sitter.js";
import type { OperatorContext } from "./edit-context.js";
import { snippet } from "./edit-context.js";
import { describePlace, isNumericish, operatorTokens } from "./expression-shapes.js";
import {
  allNodes,
  blockStatements,
  declaredNames,
  enclosingFunction,
  functionBody,
  functionName,
  isAssignmentTarget,
  isAsyncFunction,
  isCallee,
  isFunction,
  isMethod,
  isPython,
  isVariableUse,
  lineOf,
  nameSimilarity,
  parameterNames,
} from "./syntax-nodes.js";

const CALL_GROUPS: string[][] = [
  ["min", "max"],
  ["any", "all"],
  ["floor", "ceil", "round", "trunc"],
  ["push", "unshift"],
  ["pop", "shift"],
  ["slice", "substring", "substr"],
  ["startswith", "endswith"],
  ["startsWith", "endsWith"],
  ["append", "extend", "insert"],
  ["sorted", "reversed"],
  ["sort", "reverse"],
  ["lower", "upper"],
  ["toLowerCase", "toUpperCase"],
  ["find", "filter", "findIndex"],
  ["some", "every"],
  ["indexOf", "lastIndexOf", "findIndex"],
  ["strip", "lstrip", "rstrip"],
  ["trim", "trimStart", "trimEnd"],
  ["split", "rsplit"],
  ["find", "rfind", "index", "rindex"],
  ["keys", "values", "items"],
  ["keys", "values", "entries"],
  ["map", "forEach", "flatMap"],
  ["parseInt", "parseFloat", "Number"],
  ["int", "float", "round"],
  ["add", "discard", "remove"],
  ["add", "update"],
  ["update", "setdefault"],
  ["has", "get"],
  ["includes", "indexOf"],
  ["isdigit", "isalpha", "isalnum", "isnumeric"],
  ["sum", "len"],
  ["concat", "push"],
  ["assign", "freeze"],
];

/** Names called anywhere in the file (plain functions and methods), and functions defined in the file. */
function calledNames(context: OperatorContext): {
  functions: Set<string>;
  methods: Set<string>;
  byReceiver: Map<string, Set<string>>;
} {
  const functions = new Set<string>();
  const methods = new Set<string>();
  const byReceiver = new Map<string, Set<string>>();
  for (const node of context.fileNodes) {
    if (isFunction(node)) {
      const name = functionName(node);
      if (name) (isMethod(node) ? methods : functions).add(name);
    }
    if (node.type === "call_expression" || node.type === "call") {
      const callee = node.childForFieldName("function");
      if (callee?.type === "identifier") functions.add(callee.text);
      const property = callee?.childForFieldName("property") ?? callee?.childForFieldName("attribute");
      if (property) methods.add(property.text);
      const receiver = callee?.childForFieldName("object")?.text;
      if (property && receiver)
        byReceiver.set(receiver, (byReceiver.get(receiver) ?? new Set()).add(property.text));
    }
  }
  return { functions, methods, byReceiver };
}

/** replace_call: the callee name → a builtin counterpart (min↔max, …) or a similar name called or defined in the file. */
export function replaceCalls(context: OperatorContext): void {
  if (!context.targets.some((node) => node.type === "call_expression" || node.type === "call")) return;
  const names = context.memo("called-names", () => calledNames(context));
  for (const node of context.targets) {
    if (node.type !== "call_expression" && node.type !== "call") continue;
    const callee = node.childForFieldName("function");
    if (!callee) continue;
    const nameNode =
      callee.type === "identifier"
        ? callee
        : (callee.childForFieldName("property") ?? callee.childForFieldName("attribute"));
    if (!nameNode) continue;
    const current = nameNode.text;
    const candidates = new Map<string, number>();
    for (const group of CALL_GROUPS) {
      if (!group.includes(current)) continue;
      group.forEach((name, index) => {
        if (name !== current) candidates.set(name, Math.max(candidates.get(name) ?? 0, 12 - index));
      });
    }
    const receiver = callee.childForFieldName("object")?.text;
    for (const name of receiver ? (names.byReceiver.get(receiver) ?? []) : []) {
      if (name !== current && !candidates.has(name))
        candidates.set(name, 4 + nameSimilarity(current, name) * 4);
    }
    const pool = callee.type === "identifier" ? names.functions : names.methods;
    for (const name of pool) {
      if (name === current || candidates.has(name)) continue;
      const similarity = nameSimilarity(current, name);
      if (similarity >= 0.5) candidates.set(name, similarity * 10 - 2);
    }
    [...candidates.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .forEach(([name, score]) => {
        context.emit("replace_call", {
          start: nameNode.startIndex,
          end: nameNode.endIndex,
          text: name,
          rationale: `call \`${name}\` instead of \`${current}\` ${describePlace(node)}`,
          bonus: Math.round(score),
          anchor: node,
        });
      });
  }
}

/** Positions where wrapping the value can fix a bug: returned values, assigned values, call arguments. */
function wrappable(context: OperatorContext): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  for (const node of context.targets) {
    const parent = node.parent;
    if (!parent || !node.isNamed || node.type === "comment") continue;
    const isReturned = parent.type === "return_statement";
    const isAssigned =
      (parent.type === "variable_declarator" && parent.childForFieldName("value")?.equals(node)) ||
      ((parent.type === "assignment" || parent.type === "assignment_expression") &&
        parent.childForFieldName("right")?.equals(node));
    const isArgument =
      (parent.type === "arguments" || parent.type === "argument_list") && node.type !== "keyword_argument";
    const isArrowBody = parent.type === "arrow_function" && parent.childForFieldName("body")?.equals(node);
    if (isReturned || isAssigned || isArgument || isArrowBody) found.push(node);
  }
  return found;
}

/** wrap_call: wrap a value in a conversion or clamp (`Math.abs`, `String`, `int`, `sorted`, …) or a one-argument function of the file. */
export function wrapCalls(context: OperatorContext): void {
  const python = isPython(context.language);
  const local: string[] = [];
  for (const node of context.fileNodes) {
    if (isFunction(node) && !isMethod(node) && parameterNames(node).length === 1) {
      const name = functionName(node);
      if (name && !context.fn?.equals(node) && !local.includes(name)) local.push(name);
    }
  }
  const limits = context.memo("limits", () => limitExpressions(context));
  for (const node of wrappable(context)) {
    const numeric = isNumericish(node, context.numericNames);
    const returned = node.parent?.type === "return_statement";
    const wrappers: Array<[string, number]> = python
      ? numeric
        ? [
            ["abs(#)", 3],
            ["int(#)", 3],
            ["round(#)", 2],
            ["max(0, #)", 2],
            ["str(#)", 0],
            ["float(#)", 0],
          ]
        : [
            ["len(#)", 2],
            ["sorted(#)", 2],
            ["list(#)", 2],
            ["str(#)", 1],
            ["int(#)", 1],
            ["set(#)", 0],
          ]
      : numeric
        ? [
            ["Math.abs(#)", 3],
            ["Math.floor(#)", 3],
            ["Math.max(0, #)", 2],
            ["Math.round(#)", 2],
            ["String(#)", 0],
          ]
        : [
            ["String(#)", 1],
            ["Number(#)", 1],
            ["parseInt(#, 10)", 1],
            ["Boolean(#)", 0],
          ];
    for (const name of local.slice(0, 4)) wrappers.push([`${name}(#)`, 1]);
    if (numeric) {
      for (const limit of limits.upper)
        wrappers.push([python ? `min(${limit}, #)` : `Math.min(${limit}, #)`, 5]);
      for (const limit of limits.lower)
        wrappers.push([python ? `max(${limit}, #)` : `Math.max(${limit}, #)`, 3]);
      // A neighbour of the same kind (`max(best, current)`): numeric locals the expression does not already use.
      const used = new Set(node.text.match(/[A-Za-z_$][\w$]*/g) ?? []);
      const neighbours = context.locals.filter((name) => context.numericNames.has(name) && !used.has(name));
      for (const name of neighbours.slice(-3))
        for (const extreme of ["max", "min"])
          wrappers.push([python ? `${extreme}(#, ${name})` : `Math.${extreme}(#, ${name})`, -1]);
      if (returned) for (const entry of wrappers) if (/max\(0, #\)|abs\(#\)/.test(entry[0])) entry[1] += 6;
      // A difference the function returns, where the file compares the function's result with a limit: the
      // distance was most likely meant (`drift(a, b) > limit` with `return a - b`).
      if (returned && operatorTokens(node)[0]?.type === "-" && resultCompared(context))
        for (const entry of wrappers) if (/abs\(#\)/.test(entry[0])) entry[1] += MAGNITUDE_BONUS;
      const divides =
        (node.type === "binary_expression" || node.type === "binary_operator") &&
        node.childForFieldName("operator")?.type === "/";
      if (divides) for (const entry of wrappers) if (/round|floor|int\(/.test(entry[0])) entry[1] += 6;
    }
    for (const [pattern, bonus] of wrappers) {
      const callee = pattern.slice(0, pattern.indexOf("("));
      if (node.text.startsWith(`${callee}(`)) continue;
      const text = pattern.replace("#", node.text);
      context.emit("wrap_call", {
        start: node.startIndex,
        end: node.endIndex,
        text,
        rationale: `wrap \`${snippet(node.text)}\` in \`${callee}\` ${describePlace(node)}`,
        bonus,
        anchor: node,
      });
    }
  }
}

/** Lifts `abs` of a returned difference among the first candidates of its location, like a favoured family. */
const MAGNITUDE_BONUS = 35;

/** Whether the file compares a call of the enclosing function with `<`, `<=`, `>` or `>=` (its result is a size). */
function resultCompared(context: OperatorContext): boolean {
  const name = context.fn ? functionName(context.fn) : null;
  if (!name) return false;
  return context.memo(`result-compared:${name}`, () => callsCompared(context.fileNodes, name));
}

/** Whether some call of `name` in the file is an operand of `<`, `<=`, `>` or `>=`. */
function callsCompared(fileNodes: readonly SyntaxNode[], name: string): boolean {
  return fileNodes.some((node) => {
    if (node.type !== "call_expression" && node.type !== "call") return false;
    const callee = node.childForFieldName("function");
    if (callee?.text !== name && !callee?.text.endsWith(`.${name}`)) return false;
    const comparison = node.parent;
    if (!comparison || !/^(binary_expression|comparison_operator)$/.test(comparison.type)) return false;
    return ["<", "<=", ">", ">="].includes(operatorTokens(comparison)[0]?.type ?? "");
  });
}

/** Expressions of the file that look like upper or lower limits (`capacity`, `this.options.max`, `minimum`). */
function limitExpressions(context: OperatorContext): { upper: string[]; lower: string[] } {
  const upper: string[] = [];
  const lower: string[] = [];
  const receiver = context.fn && isMethod(context.fn) ? (isPython(context.language) ? "self" : "this") : null;
  const add = (list: string[], text: string) => {
    if (!list.includes(text) && list.length < 2) list.push(text);
  };
  for (const node of context.fileNodes) {
    if (node.type !== "member_expression" && node.type !== "attribute" && node.type !== "identifier")
      continue;
    const parent = node.parent;
    if (
      parent?.type === "member_expression" ||
      parent?.type === "attribute" ||
      isCallee(node) ||
      isAssignmentTarget(node)
    )
      continue;
    const last = node.text.split(".").pop() ?? "";
    const root = node.text.split(".")[0] ?? "";
    let text = node.text;
    if (root !== "this" && root !== "self" && !context.variables.includes(root)) {
      // A name seen elsewhere (e.g. a constructor parameter kept as a field) is reached through the receiver here.
      if (!receiver || node.type === "identifier") continue;
      text = `${receiver}.${node.text}`;
    }
    if (
      /^(max|capacity|limit|upper|high|total|size|length|cap)/i.test(last) ||
      /(Max|Limit|Capacity|_max|_limit)$/.test(last)
    ) {
      add(upper, text);
    } else if (/^(min|lower|low|floor|minimum)/i.test(last)) {
      add(lower, text);
    }
  }
  return { upper, lower };
}

const RECURSIVE_NAME =
  /fact|fib|recur|depth|height|flatten|walk|visit|travers|sum|count|power|pow|gcd|size|search|solve|permut|combin|hanoi|reverse|merge|sort/i;

/** recursive_call: in a recursive function, `x` in the recursive case → `f(x)`. */
export function recursiveCalls(context: OperatorContext): void {
  const fn = context.fn;
  if (!fn) return;
  const name = functionName(fn);
  if (!name) return;
  const python = isPython(context.language);
  const receiver = isMethod(fn) ? (python ? "self." : "this.") : "";
  const callsItself = allNodes(fn).some(
    (node) =>
      (node.type === "call_expression" || node.type === "call") &&
      node.childForFieldName("function")?.text === `${receiver}${name}`,
  );
  if (!callsItself && !RECURSIVE_NAME.test(name)) return;
  const params = parameterNames(fn);
  if (params.length === 0) return;
  for (const node of context.targets) {
    if (!node.isNamed || !enclosingFunction(node)?.equals(fn)) continue;
    if (isCallee(node) || isAssignmentTarget(node)) continue;
    const parent = node.parent;
    if (!parent) continue;
    const inExpression =
      /^(binary_expression|binary_operator|return_statement|arguments|argument_list|pair|list|array|list_comprehension|set_comprehension|generator_expression|dictionary_comprehension|array|spread_element|list_splat|parenthesized_expression)$/.test(
        parent.type,
      );
    if (!inExpression || (parent.type === "pair" && parent.childForFieldName("key")?.equals(node))) continue;
    const mentionsVariable = allNodes(node).some(
      (child) =>
        child.type === "identifier" &&
        (params.includes(child.text) ||
          context.locals.includes(child.text) ||
          isComprehensionVariable(child)),
    );
    if (!mentionsVariable) continue;
    const shrinks = /[-+]\s*\d|\[\s*1\s*:|\.(next|left|right|children|rest|tail)|slice\(|\[1:\]/.test(
      node.text,
    );
    const argument =
      node.type === "parenthesized_expression" && node.namedChildCount === 1
        ? (node.namedChild(0)?.text ?? node.text)
        : node.text;
    params.slice(0, 2).forEach((_, position) => {
      const args = params.map((param, index) => (index === position ? argument : param));
      if (position > 0 && params.length === 1) return;
      const call = `${receiver}${name}(${args.join(", ")})`;
      context.emit("recursive_call", {
        start: node.startIndex,
        end: node.endIndex,
        text: call,
        rationale: `recurse: replace \`${snippet(node.text)}\` with \`${snippet(call)}\` ${describePlace(node)}`,
        bonus: (shrinks ? 10 : 2) + (callsItself ? 2 : 0) - position * 4,
        anchor: node,
      });
    });
  }
}

function isComprehensionVariable(identifier: SyntaxNode): boolean {
  for (let current = identifier.parent; current; current = current.parent) {
    if (/comprehension|generator_expression/.test(current.type)) {
      return current.namedChildren.some(
        (child) =>
          child.type === "for_in_clause" &&
          child
            .childForFieldName("left")
            ?.text.split(/\s*,\s*/)
            .includes(identifier.text),
      );
    }
  }
  return false;
}

/** Functions of the file that are async, by name, plus names that are awaited somewhere. */
function asyncNames(context: OperatorContext): Set<string> {
  const names = new Set<string>();
  for (const node of context.fileNodes) {
    if (isFunction(node) && isAsyncFunction(node)) {
      const name = functionName(node);
      if (name) names.add(name);
    }
    if (node.type === "await_expression") {
      const call = node.namedChild(0);
      const callee = call?.type === "call_expression" ? call.childForFieldName("function") : null;
      const last = callee?.childForFieldName("property") ?? callee;
      if (last) names.add(last.text);
    }
  }
  return names;
}

/** add_call_or_return: a missing `return`, a missing `await`, a method referenced without `()`. */
export function addCallOrReturn(context: OperatorContext): void {
  const python = isPython(context.language);
  const fn = context.fn;
  if (fn) addMissingReturn(context, fn, python);
  if (!python && fn && isAsyncFunction(fn)) {
    const awaited = context.memo("async-names", () => asyncNames(context));
    for (const node of context.targets) {
      if (node.type !== "call_expression" || node.parent?.type === "await_expression") continue;
      if (!enclosingFunction(node)?.equals(fn)) continue;
      const callee = node.childForFieldName("function");
      const last = callee?.childForFieldName("property") ?? callee;
      if (!callee || !last) continue;
      const known = awaited.has(last.text);
      const parent = node.parent;
      const valueUsed =
        parent?.type === "variable_declarator" ||
        parent?.type === "return_statement" ||
        parent?.type === "assignment_expression";
      if (!known && !valueUsed) continue;
      context.emit("add_call_or_return", {
        start: node.startIndex,
        end: node.startIndex,
        text: "await ",
        rationale: `await \`${snippet(node.text)}\` at line ${lineOf(node)}`,
        bonus: known ? 14 : 2,
        anchor: node,
      });
    }
  }
  const { functions, methods } = context.memo("called-names", () => calledNames(context));
  const zeroArgFunctions = new Set<string>();
  for (const node of context.fileNodes) {
    if (isFunction(node) && parameterNames(node).length === 0) {
      const name = functionName(node);
      if (name) zeroArgFunctions.add(name);
    }
  }
  for (const node of context.targets) {
    if (isCallee(node) || isAssignmentTarget(node)) continue;
    const parent = node.parent;
    if (parent?.type === "call_expression" || parent?.type === "call" || parent?.type === "decorator")
      continue;
    const property =
      node.type === "member_expression"
        ? node.childForFieldName("property")
        : node.type === "attribute"
          ? node.childForFieldName("attribute")
          : null;
    const isMethodReference =
      !!property &&
      methods.has(property.text) &&
      !(parent?.type === "member_expression" || parent?.type === "attribute");
    const isFunctionReference =
      node.type === "identifier" &&
      isVariableUse(node) &&
      zeroArgFunctions.has(node.text) &&
      functions.has(node.text);
    if (!isMethodReference && !isFunctionReference) continue;
    context.emit("add_call_or_return", {
      start: node.endIndex,
      end: node.endIndex,
      text: "()",
      rationale: `call \`${snippet(node.text)}()\` instead of referencing it at line ${lineOf(node)}`,
      bonus: 8,
      anchor: node,
    });
  }
}

function addMissingReturn(context: OperatorContext, fn: SyntaxNode, python: boolean): void {
  const body = functionBody(fn);
  if (!body) return;
  const statements = blockStatements(body);
  const last = statements[statements.length - 1];
  if (!last) return;
  const returnsValue = allNodes(fn).some(
    (node) =>
      node.type === "return_statement" && node.namedChildCount > 0 && enclosingFunction(node)?.equals(fn),
  );
  const name = functionName(fn);
  const usedForValue =
    returnsValue ||
    (!!name &&
      context.fileNodes.some((node) => {
        if (node.type !== "call_expression" && node.type !== "call") return false;
        const callee = node.childForFieldName("function");
        const calleeName =
          callee?.childForFieldName("property")?.text ??
          callee?.childForFieldName("attribute")?.text ??
          callee?.text;
        return (
          calleeName === name &&
          node.parent?.type !== "expression_statement" &&
          node.parent?.type !== "await_expression"
        );
      }));
  if (last.type === "expression_statement") {
    const expression = last.namedChild(0);
    const isAssignment = expression && /assignment/.test(expression.type);
    if (expression && !isAssignment && !(python && expression.type === "string")) {
      context.emit("add_call_or_return", {
        start: last.startIndex,
        end: last.startIndex,
        text: "return ",
        rationale: `return the value of \`${snippet(expression.text)}\` at line ${lineOf(last)}`,
        bonus: usedForValue ? 12 : 2,
        anchor: last,
      });
    }
  }
  if (!usedForValue || last.type === "return_statement") return;
  const indent = context.source.slice(
    context.source.lastIndexOf("\n", last.startIndex - 1) + 1,
    last.startIndex,
  );
  if (indent.trim() !== "") return;
  const locals = declaredNames(fn).reverse();
  const candidates = [...locals, ...parameterNames(fn)].slice(0, 4);
  candidates.forEach((local, rank) => {
    context.emit("add_call_or_return", {
      start: last.endIndex,
      end: last.endIndex,
      text: `\n${indent}${python ? `return ${local}` : `return ${local};`}`,
      rationale: `return \`${local}\` at the end of \`${name ?? "the function"}\``,
      bonus: 10 - rank * 2,
      anchor: last,
    });
  });
}
