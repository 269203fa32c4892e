// A fake-LLM responder that recognises which corpus bug a prompt shows and answers with that bug's known fix.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Responder, ScriptedReply } from "./fake-llm-server.js";

interface KnownFix {
  id: string;
  patch: string;
  /** Paths the fix touches. */
  paths: string[];
  /** Lines the fix removes (or, for pure insertions, its context), as they appear in the buggy code. */
  markers: string[];
}

function readFixes(corpusDir: string): KnownFix[] {
  const fixes: KnownFix[] = [];
  for (const entry of readdirSync(corpusDir).sort()) {
    const file = join(corpusDir, entry, "fix.patch");
    if (!existsSync(file)) continue;
    const patch = readFileSync(file, "utf8");
    const lines = patch.split("\n");
    const paths = lines.filter((line) => line.startsWith("+++ b/")).map((line) => line.slice(6).trim());
    const removed = lines
      .filter((line) => line.startsWith("-") && !line.startsWith("---"))
      .map((line) => line.slice(1).trim());
    const context = lines.filter((line) => line.startsWith(" ")).map((line) => line.slice(1).trim());
    const markers = (removed.length > 0 ? removed : context).filter((line) => line.length > 3);
    fixes.push({ id: entry, patch, paths, markers });
  }
  return fixes;
}

/** Answers each prompt with the fix of the corpus bug whose changed lines and file it shows; otherwise `otherwise`. */
export function corpusFixResponder(
  corpusDir: string,
  otherwise: ScriptedReply = { kind: "answer", text: "No idea." },
): Responder {
  const fixes = readFixes(corpusDir);
  return (request) => {
    const candidates = fixes
      .filter((fix) => fix.markers.length > 0 && fix.paths.every((path) => request.prompt.includes(path)))
      .filter((fix) => fix.markers.every((marker) => request.prompt.includes(marker)))
      .sort((a, b) => b.markers.join("").length - a.markers.join("").length);
    const [best] = candidates;
    if (!best) return otherwise;
    return {
      kind: "answer",
      text: `The bug is the one known for ${best.id}.\n\n\`\`\`diff\n${best.patch.trimEnd()}\n\`\`\`\n`,
    };
  };
}
