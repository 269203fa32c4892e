// Candidates generated before the patch phase asks for them (while the flaky guard's re-run runs), handed over on request.
import type { FailureHints } from "../core/failure-hints.js";
import type { QueuedCandidate } from "../core/repair-planner.js";
import type { RankedLocation } from "../core/types.js";
import { type CandidateGenerator, renumbered } from "./candidate-generator.js";

function keyOf(location: RankedLocation): string {
  return `${location.file}:${location.startLine}-${location.endLine}`;
}

export class EarlyGenerations {
  private readonly started = new Map<string, { source: string; candidates: Promise<QueuedCandidate[]> }>();

  constructor(private readonly generator: CandidateGenerator) {}

  /** Starts generating the candidates of `location` in `source`, ranked with what the failures suggest. */
  start(location: RankedLocation, source: string, hints?: FailureHints): void {
    const candidates = this.generator.generate({
      location,
      source,
      ...(hints ? { hints } : {}),
      nextId: () => "early",
    });
    candidates.catch(() => {});
    this.started.set(keyOf(location), { source, candidates });
  }

  /**
   * The candidates generated early for this location when they were for the same source, with ids from `nextId` and
   * tied to `location` (its score may have changed); undefined when there are none (or their generation failed).
   */
  async take(
    location: RankedLocation,
    source: string,
    nextId: () => string,
  ): Promise<QueuedCandidate[] | undefined> {
    const key = keyOf(location);
    const early = this.started.get(key);
    this.started.delete(key);
    if (early?.source !== source) return undefined;
    const candidates = await early.candidates.catch(() => undefined);
    return candidates && renumbered(candidates, nextId).map((candidate) => ({ ...candidate, location }));
  }
}
