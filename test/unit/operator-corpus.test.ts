import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { applyFilePatch, type FilePatch, parseUnifiedDiff } from "../../src/core/diff.js";
import { generateCandidateEdits } from "../../src/repair/proposers/index.js";
import { languageOfPath, loadParserForPath } from "../../src/runtime/tree-sitter.js";

const CORPUS = join(import.meta.dirname, "../../bench/corpus");

interface SingleEditBug {
  id: string;
  file: string;
  source: string;
  fixed: string;
  line: number;
}

/** The first line the fix changes (for an insertion, the line before it). */
function suspiciousLine(patch: FilePatch): number {
  const hunk = patch.hunks[0];
  if (!hunk) return 1;
  let line = hunk.oldStart;
  for (const text of hunk.lines) {
    if (text.startsWith("-")) return line;
    if (text.startsWith("+")) return Math.max(1, line - 1);
    line++;
  }
  return line;
}

/** Corpus bugs fixed by one hunk in one file: the ones a single operator edit can repair. */
function singleEditBugs(): SingleEditBug[] {
  if (!existsSync(CORPUS)) return [];
  const bugs: SingleEditBug[] = [];
  for (const id of readdirSync(CORPUS).sort()) {
    const patchPath = join(CORPUS, id, "fix.patch");
    if (!existsSync(patchPath)) continue;
    const patches = parseUnifiedDiff(readFileSync(patchPath, "utf8"));
    const patch = patches[0];
    if (patches.length !== 1 || !patch?.newPath || patch.hunks.length !== 1) continue;
    const sourcePath = join(CORPUS, id, "project", patch.newPath);
    if (!existsSync(sourcePath) || !languageOfPath(patch.newPath)) continue;
    const source = readFileSync(sourcePath, "utf8");
    bugs.push({
      id,
      file: patch.newPath,
      source,
      fixed: applyFilePatch(source, patch),
      line: suspiciousLine(patch),
    });
  }
  return bugs;
}

const normalized = (text: string) => text.replace(/\s+/g, "");

describe("operators on the benchmark corpus", () => {
  const bugs = singleEditBugs();

  it.runIf(bugs.length >= 10)(
    "propose the known fix for most single-edit bugs when pointed at the changed line",
    async () => {
      const ranks: number[] = [];
      for (const bug of bugs) {
        const parser = await loadParserForPath(bug.file);
        const language = languageOfPath(bug.file);
        if (!parser || !language) continue;
        const edits = generateCandidateEdits({
          file: bug.file,
          source: bug.source,
          language,
          location: { file: bug.file, startLine: bug.line, endLine: bug.line, score: 1, reasons: ["corpus"] },
          parser,
        });
        ranks.push(edits.findIndex((edit) => normalized(edit.after) === normalized(bug.fixed)));
      }
      const found = ranks.filter((rank) => rank >= 0).sort((a, b) => a - b);
      expect(found.length / ranks.length).toBeGreaterThanOrEqual(0.75);
      expect(found[Math.floor(found.length / 2)]).toBeLessThanOrEqual(15);
    },
    60_000,
  );
});
