// Test helper: runs one gate fixture diff with its optional `<name>.context.json` and `<name>.before.<ext>` siblings.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  defaultGateContext,
  type GateContext,
  gate,
  proposalFingerprint,
} from "../../src/core/gate/index.js";
import type { GateVerdict, Phase, Proposal } from "../../src/core/types.js";

interface CaseContext {
  proposalPhase?: Phase;
  phase?: Phase;
  seen?: boolean;
  seenDiff?: string;
  protectedPaths?: string[];
  testPathPatterns?: string[];
  limits?: GateContext["limits"];
  budget?: GateContext["budget"];
}

/** The gate's verdict on `file`; `checkSyntax` is used when the case ships the file's text before the patch. */
export function runGateCase(
  file: string,
  checkSyntax: (path: string, content: string) => string | null,
): GateVerdict {
  const diff = readFileSync(file, "utf8");
  const directory = dirname(file);
  const prefix = `${file.slice(directory.length + 1, -".diff".length)}.`;
  const siblings = readdirSync(directory);
  const contextFile = siblings.find((name) => name === `${prefix}context.json`);
  const extra: CaseContext = contextFile
    ? JSON.parse(readFileSync(join(directory, contextFile), "utf8"))
    : {};
  const beforeFile = siblings.find((name) => name.startsWith(`${prefix}before.`));
  const before = beforeFile === undefined ? undefined : readFileSync(join(directory, beforeFile), "utf8");
  const seen = new Set<string>();
  if (extra.seen) seen.add(proposalFingerprint(diff));
  if (extra.seenDiff) seen.add(proposalFingerprint(extra.seenDiff));
  const proposal: Proposal = {
    id: "case",
    diff,
    intent: "fix_bug",
    phase: extra.proposalPhase ?? "patch",
    origin: "llm",
    operator: "llm",
    rationale: "gate fixture case",
  };
  return gate(
    proposal,
    defaultGateContext({
      ...(extra.phase ? { phase: extra.phase } : {}),
      ...(extra.protectedPaths ? { protectedPaths: extra.protectedPaths } : {}),
      ...(extra.testPathPatterns ? { testPathPatterns: extra.testPathPatterns } : {}),
      ...(extra.limits ? { limits: extra.limits } : {}),
      ...(extra.budget ? { budget: extra.budget } : {}),
      seenFingerprints: seen,
      ...(before === undefined ? {} : { readFile: () => before, checkSyntax }),
    }),
  );
}
