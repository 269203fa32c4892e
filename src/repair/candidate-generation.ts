// Turns ranked locations into queued candidate proposals using the deterministic tree-sitter operators.
import type { FailureHints } from "../core/failure-hints.js";
import type { QueuedCandidate } from "../core/repair-planner.js";
import type { OperatorFamily, RankedLocation } from "../core/types.js";
import {
  type GrammarName,
  languageOfPath,
  loadGrammarParser,
  loadParserForPath,
} from "../runtime/tree-sitter.js";
import { generateCandidateEdits, operatorProposals } from "./proposers/index.js";

export interface GenerationInput {
  location: RankedLocation;
  /** Current text of the file (the base state plus any adopted partial fix). */
  source: string;
  families?: OperatorFamily[];
  /** What the failing tests' messages suggest (see `failureHints`). */
  hints?: FailureHints;
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
    ...(input.hints ? { hints: input.hints } : {}),
    maxEdits: input.maxEdits ?? 200,
  }).sort((a, b) => b.priority - a.priority);
  const proposals = operatorProposals(edits, input.source, input.nextId);
  return proposals.map((proposal, rankInLocation) => ({
    proposal,
    location: input.location,
    rankInLocation,
  }));
}

/**
 * Loads the grammar the first locations will most likely need, so that their generation does not wait for it;
 * meant to run while the baseline tests run. (Generating for a built-in snippet to warm the operators up as well
 * cost more on the baseline's cores than it saved later, once generation itself had become cheap.)
 */
export async function prepareCandidateGeneration(grammar: GrammarName): Promise<void> {
  await loadGrammarParser(grammar);
}
