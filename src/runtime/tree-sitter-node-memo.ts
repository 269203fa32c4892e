// Keeps what a parsed node's getters answer on the node itself: each answer otherwise costs a round trip into WASM.
import { Node } from "web-tree-sitter";

/**
 * The getters whose answers never change for a node of a tree that is not edited afterwards (RFSN never edits a
 * tree: every change is a new parse). Navigation getters hand out new node objects each time; kept, a walk that
 * comes back to a node finds its answers already there.
 */
const STABLE_GETTERS = [
  "typeId",
  "isNamed",
  "isError",
  "isMissing",
  "hasError",
  "endIndex",
  "endPosition",
  "text",
  "childCount",
  "namedChildCount",
  "parent",
  "nextSibling",
  "previousSibling",
  "nextNamedSibling",
  "previousNamedSibling",
] as const;

let installed = false;

/** Replaces the stable getters of web-tree-sitter's Node class with memoizing ones (once per process). */
export function memoizeNodeGetters(): void {
  if (installed) return;
  installed = true;
  for (const name of STABLE_GETTERS) {
    const descriptor = Object.getOwnPropertyDescriptor(Node.prototype, name);
    const read = descriptor?.get;
    if (!read) continue;
    const slot = Symbol(name);
    Object.defineProperty(Node.prototype, name, {
      configurable: true,
      enumerable: descriptor.enumerable ?? false,
      get(this: Node & { [slot]?: unknown }) {
        if (slot in this) return this[slot];
        const value: unknown = read.call(this);
        this[slot] = value;
        return value;
      },
    });
  }
}
