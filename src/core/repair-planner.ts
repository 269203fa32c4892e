// The planner of a repair session (planner v5): phase machine, candidate queue, budgets and rejection recovery.
import type { SearchEnd } from "./report.js";
import type { StrategyBandit } from "./strategy-bandit.js";
import type {
  GateRejectionType,
  OperatorFamily,
  Phase,
  Proposal,
  RankedLocation,
  ValidationRejection,
} from "./types.js";

const NEXT_PHASES: Record<Phase | "done", ReadonlyArray<Phase | "done">> = {
  reproduce: ["localize", "done"],
  localize: ["patch", "done"],
  patch: ["verify", "done"],
  verify: ["patch", "done"],
  done: [],
};

export class PhaseTransitionError extends Error {
  constructor(from: Phase | "done", to: Phase | "done") {
    super(`the repair session cannot go from ${from} to ${to}`);
    this.name = "PhaseTransitionError";
  }
}

export interface PlannerBudget {
  /** Optional cap on planner iterations; unset, only the deadline (or running out of candidates) ends the search. */
  maxIterations?: number;
  deadlineMs: number;
}

/** What the planner's budget says about going on: a stop with its kind and sentence, or null to go on. */
export interface BudgetStop {
  kind: Extract<SearchEnd, "time_budget" | "iteration_cap">;
  reason: string;
}

export interface QueuedCandidate {
  proposal: Proposal;
  location: RankedLocation;
  /** 0-based rank of the proposal among those of its location, by the proposer's own priority. */
  rankInLocation: number;
}

export interface GateRejectionRecord {
  proposalId: string;
  operator: OperatorFamily;
  type: GateRejectionType;
  reason: string;
  file?: string;
}

/** How many rejections of one kind from one family make the planner stop asking that family. */
const SYNTAX_ERRORS_BEFORE_BACKOFF = 3;

/** Outcomes of a family after which the bandit's draw weighs its candidates fully. */
const OBSERVATIONS_FOR_FULL_WEIGHT = 4;
/** The share of the draw's full effect a family without outcomes gets (over 30 bugs and 4 seeds: fewer candidates
 * than the full effect or none). */
const MINIMUM_SPREAD = 0.5;

/** A location competes with queued candidates when it scores at least this share of the best one's potential. */
export const COMPETING_LOCATION_RATIO = 0.6;

/** Decides what to try next from everything the session has seen so far. */
export class RepairPlanner {
  phase: Phase | "done" = "reproduce";
  iterations = 0;
  private queue: QueuedCandidate[] = [];
  private readonly expandedLocations = new Set<string>();
  private readonly droppedFiles = new Set<string>();
  private readonly syntaxErrorsByFamily = new Map<OperatorFamily, number>();
  private readonly suppressedFamilies = new Set<OperatorFamily>();
  /** Fingerprints of the patches tried, per base (the diff the candidates were applied on top of). */
  private readonly triedByBase = new Map<string, Set<string>>();
  private base = "";
  readonly gateRejections: GateRejectionRecord[] = [];

  constructor(
    private readonly bandit: StrategyBandit,
    private readonly budget: PlannerBudget,
  ) {}

  /** Fingerprints of every patch tried on the current base: never validated twice there. */
  get triedFingerprints(): Set<string> {
    let tried = this.triedByBase.get(this.base);
    if (!tried) {
      tried = new Set();
      this.triedByBase.set(this.base, tried);
    }
    return tried;
  }

  /**
   * Candidates from now on apply on top of `baseDiff` (an adopted partial fix, or "" for the project as it is). A
   * patch tried on one base can make sense on another, since the tests it failed may have failed because of that base.
   */
  useBase(baseDiff: string): void {
    this.base = baseDiff;
  }

  transition(to: Phase | "done"): void {
    if (this.phase === to) return;
    if (!NEXT_PHASES[this.phase].includes(to)) throw new PhaseTransitionError(this.phase, to);
    this.phase = to;
  }

  /** Why the session must stop now, or null while budget remains. */
  exhausted(nowMs: number): string | null {
    return this.budgetStop(nowMs)?.reason ?? null;
  }

  /** The budget that ends the search now (the time budget first), or null while both remain. */
  budgetStop(nowMs: number): BudgetStop | null {
    if (nowMs >= this.budget.deadlineMs) return { kind: "time_budget", reason: "time budget used up" };
    const cap = this.budget.maxIterations;
    if (cap !== undefined && this.iterations >= cap)
      return { kind: "iteration_cap", reason: `iteration cap of ${cap} reached (max_iterations)` };
    return null;
  }

  locationKey(location: RankedLocation): string {
    return `${location.file}:${location.startLine}-${location.endLine}`;
  }

  /** The next locations whose candidates should be generated, best first, skipping dropped files. */
  locationsToExpand(ranked: readonly RankedLocation[], count: number): RankedLocation[] {
    const chosen: RankedLocation[] = [];
    for (const location of ranked) {
      if (chosen.length >= count) break;
      if (this.droppedFiles.has(location.file)) continue;
      if (this.expandedLocations.has(this.locationKey(location))) continue;
      chosen.push(location);
    }
    return chosen;
  }

  /**
   * Unexpanded locations whose best candidate could compete with what is queued: every location scoring at least
   * `ratio` of the best queued candidate's potential, up to `max`; while the queue is short, the best `initial` ones
   * (so that the first candidates start early; the others follow at the next call, while those run).
   */
  locationsWorthExpanding(
    ranked: readonly RankedLocation[],
    minimumQueue: number,
    ratio = COMPETING_LOCATION_RATIO,
    max = 8,
    initial = 3,
  ): RankedLocation[] {
    const open = this.locationsToExpand(ranked, ranked.length);
    if (this.queue.length < minimumQueue) return open.slice(0, initial);
    const best = this.bestPotential();
    return open.filter((location) => location.score >= best * ratio).slice(0, max);
  }

  /** Whether a location's best candidate could compete with the best queued one (always, with an empty queue). */
  competes(location: RankedLocation, ratio = COMPETING_LOCATION_RATIO): boolean {
    return location.score >= this.bestPotential() * ratio;
  }

  /** The highest potential in the queue (0 when it is empty). */
  private bestPotential(): number {
    return Math.max(0, ...this.queue.map((candidate) => this.potential(candidate)));
  }

  private potential(candidate: QueuedCandidate): number {
    return Math.max(candidate.location.score, 0.01) / (1 + candidate.rankInLocation / 8);
  }

  markExpanded(location: RankedLocation): void {
    this.expandedLocations.add(this.locationKey(location));
  }

  enqueue(candidates: readonly QueuedCandidate[]): void {
    this.queue.push(...candidates);
  }

  queuedCount(): number {
    return this.queue.length;
  }

  /** Forgets the queue and which locations were expanded (when the locations are ranked again or the base changes). */
  restartExpansion(): void {
    this.queue = [];
    this.expandedLocations.clear();
  }

  /**
   * A candidate's potential weighed by the bandit's draw for its family: between 0.5 and 1.5 once the family has a
   * few outcomes, between 0.75 and 1.25 before (a draw from an arm without data is mostly noise that would scramble
   * the operators' own order, which the failure's hints shape; a little of it still mixes the families).
   */
  private score(candidate: QueuedCandidate): number {
    const family = candidate.proposal.operator;
    if (this.suppressedFamilies.has(family)) return this.potential(candidate) * 0.05;
    const certainty = Math.min(1, this.bandit.observations(family) / OBSERVATIONS_FOR_FULL_WEIGHT);
    const spread = MINIMUM_SPREAD + (1 - MINIMUM_SPREAD) * certainty;
    return this.potential(candidate) * (1 + (this.bandit.sample(family) - 0.5) * spread);
  }

  /** Takes the best `size` candidates (by location score, in-location rank and the bandit's draw). */
  nextBatch(size: number): QueuedCandidate[] {
    this.queue = this.queue.filter((candidate) => !this.droppedFiles.has(candidate.location.file));
    if (this.queue.length === 0) return [];
    const scored = this.queue.map((candidate) => ({ candidate, score: this.score(candidate) }));
    scored.sort((a, b) => b.score - a.score);
    const batch = scored.slice(0, size).map((entry) => entry.candidate);
    const taken = new Set(batch);
    this.queue = this.queue.filter((candidate) => !taken.has(candidate));
    this.iterations += 1;
    return batch;
  }

  /** Rejection recovery: what a gate rejection changes in what is asked for next. */
  onGateRejection(proposal: Proposal, type: GateRejectionType, reason: string): void {
    const file = proposal.location?.file;
    this.gateRejections.push({
      proposalId: proposal.id,
      operator: proposal.operator,
      type,
      reason,
      ...(file ? { file } : {}),
    });
    switch (type) {
      case "protected_path":
      case "path_escape":
      case "binary":
        if (file) this.droppedFiles.add(file);
        break;
      case "syntax_error": {
        const count = (this.syntaxErrorsByFamily.get(proposal.operator) ?? 0) + 1;
        this.syntaxErrorsByFamily.set(proposal.operator, count);
        this.bandit.record(proposal.operator, false, 2);
        if (count >= SYNTAX_ERRORS_BEFORE_BACKOFF) this.suppressedFamilies.add(proposal.operator);
        break;
      }
      case "test_tampering":
      case "forbidden_pattern":
      case "secret":
        this.suppressedFamilies.add(proposal.operator);
        this.bandit.record(proposal.operator, false, 3);
        break;
      case "too_large":
        this.bandit.record(proposal.operator, false);
        break;
      default:
        break;
    }
  }

  /** Learns from a validated candidate: plausible and partial fixes reward its family. */
  onValidation(proposal: Proposal, result: "plausible" | "partial" | ValidationRejection): void {
    if (result === "plausible") this.bandit.record(proposal.operator, true);
    else if (result === "partial") this.bandit.record(proposal.operator, true, 0.5);
    else this.bandit.record(proposal.operator, false);
  }

  isFileDropped(file: string): boolean {
    return this.droppedFiles.has(file);
  }

  suppressed(): OperatorFamily[] {
    return [...this.suppressedFamilies];
  }
}
