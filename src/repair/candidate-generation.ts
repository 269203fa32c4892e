// Turns ranked locations into queued candidate proposals using the deterministic tree-sitter operators.
import type { QueuedCandidate } from "../core/repair-planner.js";
import type { OperatorFamily, RankedLocation } from "../core/types.js";
import { languageOfPath, loadParserForPath } from "../runtime/tree-sitter.js";
import { generateCandidateEdits, operatorProposals } from "./proposers/index.js";

export interface GenerationInput {
  location: RankedLocation;
  /** Current text of the file (the base state plus any adopted partial fix). */
  source: string;
  families?: OperatorFamily[];
  maxEdits?: number;
  nextId: () => string;
}

/** Candidates for one location, best first by the operators' own priority. */
export async function candidatesForLocation(input: GenerationInput): Promise<QueuedCandidate[]> {
  const language = languageOfPath(input.location.file);
  if (!language) return [];
  const parser = await loadParserForPath(input.location.file);
  if (!parser) return [];
  const edits = generateCandidateEdits({
    file: input.location.file,
    source: input.source,
    language,
    location: input.location,
    parser,
    ...(input.families ? { families: input.families } : {}),
    maxEdits: input.maxEdits ?? 200,
  }).sort((a, b) => b.priority - a.priority);
  const proposals = operatorProposals(edits, input.source, input.nextId);
  return proposals.map((proposal, rankInLocation) => ({
    proposal,
    location: input.location,
    rankInLocation,
  }));
}

export type PrimingLanguage = "python" | "javascript";

/** Small functions in each language that exercise most operators, for priming. */
const PRIMING_SOURCES: Record<PrimingLanguage, { file: string; source: string }> = {
  python: {
    file: "rfsn_priming.py",
    source:
      "def total(items, limit):\n    result = 0\n    for i in range(len(items)):\n        if items[i] > limit and i != 0:\n            result += items[i] * 2\n        else:\n            result = max(result, items[i])\n    return result\n",
  },
  javascript: {
    file: "rfsn-priming.js",
    source:
      "export function total(items, limit) {\n  let result = 0;\n  for (let i = 0; i < items.length; i++) {\n    if (items[i] > limit && i !== 0) result += items[i] * 2;\n    else result = Math.max(result, items.slice(0, i).length);\n  }\n  return result;\n}\n",
  },
};

/**
 * Generates (and throws away) candidates for a built-in snippet, so that the first real location does not pay for
 * compiling the grammar and the operators (a few hundred ms); meant to run while the baseline tests run.
 */
export async function primeCandidateGeneration(language: PrimingLanguage): Promise<void> {
  const { file, source } = PRIMING_SOURCES[language];
  let count = 0;
  for (const line of [3, 4, 5]) {
    await candidatesForLocation({
      location: { file, startLine: line, endLine: line, score: 1, reasons: [] },
      source,
      nextId: () => `priming-${++count}`,
    });
  }
}
