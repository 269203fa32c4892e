// Hill climbing over partial fixes: which one becomes the base of later candidates, when, and when to give it up.
import type { QueuedCandidate } from "../core/repair-planner.js";
import type { TestCaseResult } from "../core/types.js";
import type { ValidationResult } from "./candidate-validation.js";

/** Iterations a partial fix waits before it is adopted as the new base. */
const PARTIAL_GRACE_ITERATIONS = 3;
/** Iterations after adopting a partial fix without any progress before the session backtracks. */
const BACKTRACK_AFTER_ITERATIONS = 8;

/** What candidates are applied on top of: the diff so far, the tests still failing and the sources it changed. */
export interface RepairBase {
  diff: string;
  failing: TestCaseResult[];
  sources: Map<string, string>;
}

export interface PartialFix {
  candidate: QueuedCandidate;
  result: Extract<ValidationResult, { kind: "partial" }>;
}

export class PartialFixClimb {
  /** Bases left behind by adopted partial fixes, newest last. */
  private readonly left: RepairBase[] = [];
  private adoptedAt = 0;
  private best: (PartialFix & { foundAt: number }) | null = null;

  /** Whether a partial fix is the base now. */
  get climbing(): boolean {
    return this.left.length > 0;
  }

  /** Keeps the partial fix that fixes the most tests, found in planner iteration `iteration`. */
  consider(partial: PartialFix, iteration: number): void {
    if (!this.best || partial.result.fixed.length > this.best.result.fixed.length)
      this.best = { ...partial, foundAt: iteration };
  }

  /**
   * Whether the base should change now: adopt the best partial fix once the single-location candidates ranked near
   * it had their chance (a wrong partial hides the real fix), or backtrack when the adopted one led nowhere.
   */
  due(iteration: number): "adopt" | "backtrack" | null {
    if (this.best && iteration - this.best.foundAt >= PARTIAL_GRACE_ITERATIONS) return "adopt";
    if (!this.best && this.climbing && iteration - this.adoptedAt >= BACKTRACK_AFTER_ITERATIONS)
      return "backtrack";
    return null;
  }

  /** The best partial fix found on this base, handed out once. */
  takeBest(): PartialFix | null {
    const best = this.best;
    this.best = null;
    return best;
  }

  /** Records that a partial fix became the base, leaving `previous` behind. */
  adopted(previous: RepairBase, iteration: number): void {
    this.left.push(previous);
    this.adoptedAt = iteration;
  }

  /** Gives up the last adopted partial fix: the base to return to, if any. */
  backtrack(iteration: number): RepairBase | undefined {
    const previous = this.left.pop();
    if (previous) this.adoptedAt = iteration;
    return previous;
  }
}
