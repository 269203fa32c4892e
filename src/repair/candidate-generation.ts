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
