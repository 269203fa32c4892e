// replace_property: a property or attribute access → another property the code most likely meant.
import type { SyntaxNode } from "../../runtime/tree-sitter.js";
import type { OperatorContext } from "./edit-context.js";
import { locationFunctionName, snippet } from "./edit-context.js";
import { allNodes, isAssignmentTarget, isCallee, lineOf, nameParts, nameSimilarity } from "./syntax-nodes.js";

/** Property names often confused for one another. */
const PROPERTY_GROUPS: string[][] = [
  ["length", "size", "count"],
  ["keys", "values", "items", "entries"],
  ["first", "last"],
  ["start", "end"],
  ["left", "right"],
  ["prev", "next"],
  ["head", "tail"],
  ["width", "height"],
  ["x", "y"],
  ["min", "max"],
  ["key", "value"],
  ["parent", "children"],
  ["name", "id"],
  ["top", "bottom"],
  ["before", "after"],
  ["old", "new"],
];

/** replace_property: a property/attribute access → a name used on the same object elsewhere, or a common alternative. */
export function replaceProperties(context: OperatorContext): void {
  if (!context.targets.some((node) => propertyOf(node) !== null)) return;
  const { byObject, calledOnly, readAsValue, allProperties, readProperties, fieldGroups } = context.memo(
    "properties",
    () => propertyIndex(context),
  );
  const namedByFunction = propertiesNamedBy(locationFunctionName(context.fn), allProperties.keys());
  for (const node of context.targets) {
    const property = propertyOf(node);
    if (!property) continue;
    const object = node.childForFieldName("object")?.text ?? "";
    const current = property.text;
    const candidates = new Map<string, number>();
    for (const group of PROPERTY_GROUPS) {
      if (group.includes(current)) for (const name of group) if (name !== current) candidates.set(name, 8);
    }
    for (const [name] of byObject.get(object) ?? []) {
      if (name !== current)
        candidates.set(name, Math.max(candidates.get(name) ?? 0, 5 + nameSimilarity(current, name) * 5));
    }
    if (isCallee(node)) {
      // Called methods belong to replace_call.
      continue;
    } else {
      for (const [name, distance] of allProperties) {
        if (name === current || candidates.has(name)) continue;
        const similarity = nameSimilarity(current, name);
        if (similarity >= 0.45 || distance <= 3 || namedByFunction.has(name))
          candidates.set(name, similarity * 6 - Math.min(distance, 10) * 0.2);
      }
    }
    // A field declared beside the one read here but read nowhere in the file is the likeliest one meant.
    for (const fields of fieldGroups) {
      if (!fields.includes(current)) continue;
      for (const name of fields)
        if (name !== current && !readProperties.has(name))
          candidates.set(name, Math.max(candidates.get(name) ?? 0, UNREAD_FIELD_SCORE));
    }
    // So is a property the enclosing function is named after (`priority` in `groupByPriority`), unless it reads that one.
    if (!namedByFunction.has(current))
      for (const name of namedByFunction)
        if (candidates.has(name)) candidates.set(name, (candidates.get(name) ?? 0) + FUNCTION_NAME_BONUS);
    const targetIsCall = isCallee(node);
    [...candidates.entries()]
      .filter(([name]) => targetIsCall || readAsValue.has(name) || !calledOnly.has(name))
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .forEach(([name, score], rank) => {
        context.emit("replace_property", {
          start: property.startIndex,
          end: property.endIndex,
          text: name,
          rationale: `access \`${snippet(object)}.${name}\` instead of \`.${current}\` at line ${lineOf(node)}`,
          bonus: Math.round(score) - rank,
          anchor: node,
        });
      });
  }
}

/** A sibling field nobody reads scores above the object's other properties (5–10). */
const UNREAD_FIELD_SCORE = 11;
/** Added to a candidate property the enclosing function is named after. */
const FUNCTION_NAME_BONUS = 4;
/** Words of function names too common to point at a property. */
const FUNCTION_NAME_FILLER = new Set([
  "get",
  "set",
  "is",
  "has",
  "by",
  "to",
  "of",
  "for",
  "the",
  "and",
  "from",
  "with",
]);

/** The properties among `names` whose every word is a word of the function's name (`priority` in `groupByPriority`). */
function propertiesNamedBy(functionName: string | undefined, names: Iterable<string>): Set<string> {
  const named = new Set<string>();
  if (!functionName) return named;
  const words = new Set(nameParts(functionName).filter((word) => !FUNCTION_NAME_FILLER.has(word)));
  for (const name of names) {
    const parts = nameParts(name);
    if (parts.length > 0 && parts.every((part) => part.length >= 3 && words.has(part))) named.add(name);
  }
  return named;
}

/** Node types that declare fields: classes, interfaces and object types. */
const FIELD_CONTAINERS = new Set([
  "class_definition",
  "class_declaration",
  "abstract_class_declaration",
  "class",
  "interface_declaration",
  "object_type",
]);

/** The field declared by a node of a class, interface or object type, if it declares one. */
function declaredField(node: SyntaxNode): string | null {
  switch (node.type) {
    case "public_field_definition":
    case "field_definition":
    case "property_signature":
      return (node.childForFieldName("name") ?? node.childForFieldName("property"))?.text ?? null;
    case "assignment": {
      // Python: `name: type` or `name = value` in the class body, and `self.name = value` in its methods.
      const left = node.childForFieldName("left");
      if (left?.type === "identifier" && node.parent?.parent?.parent?.type === "class_definition")
        return left.text;
      if (left?.type === "attribute" && left.childForFieldName("object")?.text === "self")
        return left.childForFieldName("attribute")?.text ?? null;
      return null;
    }
    case "assignment_expression": {
      const left = node.childForFieldName("left");
      if (left?.type === "member_expression" && left.childForFieldName("object")?.type === "this")
        return left.childForFieldName("property")?.text ?? null;
      return null;
    }
    default:
      return null;
  }
}

/** The fields each class, interface and object type of the file declares (one group each). */
function declaredFieldGroups(fileNodes: readonly SyntaxNode[]): string[][] {
  const groups: string[][] = [];
  for (const container of fileNodes) {
    if (!FIELD_CONTAINERS.has(container.type)) continue;
    const fields = new Set<string>();
    for (const node of allNodes(container)) {
      const field = declaredField(node);
      if (field) fields.add(field);
    }
    if (fields.size > 1) groups.push([...fields]);
  }
  return groups;
}

/**
 * Property names of the file: per object text, called only as methods, read as values, read at all (not only
 * written), all with their distance, and the fields each class or type declares.
 */
function propertyIndex(context: OperatorContext) {
  const readProperties = new Set<string>();
  const byObject = new Map<string, Map<string, number>>();
  const calledOnly = new Set<string>();
  const readAsValue = new Set<string>();
  const allProperties = new Map<string, number>();
  for (const node of context.fileNodes) {
    const property = propertyOf(node);
    if (!property) continue;
    const object = node.childForFieldName("object")?.text ?? "";
    if (isCallee(node)) calledOnly.add(property.text);
    else readAsValue.add(property.text);
    if (!isAssignmentTarget(node)) readProperties.add(property.text);
    const distance = Math.abs(lineOf(node) - context.focusStart);
    const names = byObject.get(object) ?? new Map<string, number>();
    names.set(property.text, Math.min(names.get(property.text) ?? Number.POSITIVE_INFINITY, distance));
    byObject.set(object, names);
    allProperties.set(
      property.text,
      Math.min(allProperties.get(property.text) ?? Number.POSITIVE_INFINITY, distance),
    );
  }
  for (const node of context.fileNodes) {
    const isField =
      node.type === "property_identifier" ||
      node.type === "shorthand_property_identifier" ||
      (node.type === "identifier" &&
        node.parent?.type === "assignment" &&
        node.parent.parent?.parent?.type === "block" &&
        node.parent.parent.parent.parent?.type === "class_definition");
    if (isField && !allProperties.has(node.text))
      allProperties.set(node.text, Math.abs(lineOf(node) - context.focusStart));
  }
  return {
    byObject,
    calledOnly,
    readAsValue,
    allProperties,
    readProperties,
    fieldGroups: declaredFieldGroups(context.fileNodes),
  };
}

function propertyOf(node: SyntaxNode): SyntaxNode | null {
  if (node.type === "member_expression") {
    const property = node.childForFieldName("property");
    return property?.type === "property_identifier" ? property : null;
  }
  if (node.type === "attribute") return node.childForFieldName("attribute");
  return null;
}
