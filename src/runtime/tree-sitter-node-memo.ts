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

/** `type` is derived from `typeId` by a lookup of its own; kept too. */
const MEMOIZED = [...STABLE_GETTERS, "type"] as const;
const UNKNOWN = Symbol("unknown");
/** A node's answers, one array slot per getter (an array of one shape keeps every lookup fast). */
const ANSWERS = Symbol("answers");

let installed = false;

/** Replaces the stable getters of web-tree-sitter's Node class with memoizing ones (once per process). */
export function memoizeNodeGetters(): void {
  if (installed) return;
  installed = true;
  MEMOIZED.forEach((name, slot) => {
    const descriptor = Object.getOwnPropertyDescriptor(Node.prototype, name);
    const read = descriptor?.get;
    if (!read) return;
    Object.defineProperty(Node.prototype, name, {
      configurable: true,
      enumerable: descriptor.enumerable ?? false,
      get(this: Node & { [ANSWERS]?: unknown[] }) {
        let answers = this[ANSWERS];
        if (!answers) {
          answers = new Array<unknown>(MEMOIZED.length).fill(UNKNOWN);
          this[ANSWERS] = answers;
        }
        const known = answers[slot];
        if (known !== UNKNOWN) return known;
        const value: unknown = read.call(this);
        answers[slot] = value;
        return value;
      },
    });
  });
}
