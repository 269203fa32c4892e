// A stable fingerprint of what a diff changes: paths plus removed/added lines with whitespace collapsed, ignoring offsets and context.
import { createHash } from "node:crypto";
import { type FilePatch, parseUnifiedDiff } from "../diff.js";
import { normalizeWhitespace } from "./changed-lines.js";

/** The fingerprint of already-parsed patches (files in path order, so file order does not matter). */
export function fingerprintOfPatches(patches: readonly FilePatch[]): string {
  const parts: string[] = [];
  for (const patch of patches) {
    let part = `${patch.oldPath ?? "/dev/null"}\u0000${patch.newPath ?? "/dev/null"}\u0000${patch.isBinary ? "binary" : ""}`;
    for (const hunk of patch.hunks) {
      for (const line of hunk.lines) {
        const kind = line[0];
        if (kind === "+" || kind === "-") part += `\n${kind}${normalizeWhitespace(line.slice(1))}`;
      }
    }
    parts.push(part);
  }
  parts.sort();
  return createHash("sha1").update(parts.join("\u0001")).digest("hex").slice(0, 16);
}

/** Whitespace-insensitive hash of the change a diff makes; unparseable text is hashed as whitespace-collapsed text. */
export function proposalFingerprint(diff: string): string {
  try {
    return fingerprintOfPatches(parseUnifiedDiff(diff));
  } catch {
    return createHash("sha1")
      .update(`unparsed\u0000${normalizeWhitespace(diff)}`)
      .digest("hex")
      .slice(0, 16);
  }
}
