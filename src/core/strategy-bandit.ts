// Thompson-sampling bandit over operator families: priors from outcome memory, updates from in-session results, quarantine.
import { type RandomSource, sampleBeta } from "./random.js";
import type { OperatorFamily } from "./types.js";

export interface FamilyStats {
  attempts: number;
  plausible: number;
}

export interface BanditOptions {
  /** Successes and failures remembered from earlier runs for this failure class. */
  priors?: ReadonlyMap<OperatorFamily, FamilyStats>;
  /** Remembered attempts are scaled down to at most this many pseudo-observations per family. */
  maxPriorObservations?: number;
  /** A family with at least this many remembered attempts and no success is quarantined. */
  quarantineAfter?: number;
  random: RandomSource;
}

interface Arm {
  successes: number;
  failures: number;
}

/** Chooses how much to favour each operator family; learns from every validated candidate. */
export class StrategyBandit {
  private readonly arms = new Map<OperatorFamily, Arm>();
  private readonly quarantined = new Set<OperatorFamily>();
  private readonly random: RandomSource;
  private readonly maxPriorObservations: number;
  private readonly quarantineAfter: number;

  constructor(options: BanditOptions) {
    this.random = options.random;
    this.maxPriorObservations = options.maxPriorObservations ?? 20;
    this.quarantineAfter = options.quarantineAfter ?? 12;
    if (options.priors) this.loadPriors(options.priors);
  }

  /** Seeds the arms from outcome memory (scaled down), quarantining families that never produced a plausible patch. */
  loadPriors(priors: ReadonlyMap<OperatorFamily, FamilyStats>): void {
    for (const [family, stats] of priors) {
      const failures = Math.max(0, stats.attempts - stats.plausible);
      const scale = Math.min(1, this.maxPriorObservations / Math.max(1, stats.attempts));
      const arm = this.arms.get(family) ?? { successes: 0, failures: 0 };
      arm.successes += stats.plausible * scale;
      arm.failures += failures * scale;
      this.arms.set(family, arm);
      if (stats.attempts >= this.quarantineAfter && stats.plausible === 0) this.quarantined.add(family);
    }
  }

  /** Draws one plausibility estimate per family; quarantined families draw from a much weaker arm. */
  sample(family: OperatorFamily): number {
    const arm = this.arms.get(family) ?? { successes: 0, failures: 0 };
    const value = sampleBeta(1 + arm.successes, 1 + arm.failures, this.random);
    return this.quarantined.has(family) ? value * 0.1 : value;
  }

  /** How many outcomes (remembered, scaled, and from this session) the family's estimate rests on. */
  observations(family: OperatorFamily): number {
    const arm = this.arms.get(family);
    return arm ? arm.successes + arm.failures : 0;
  }

  record(family: OperatorFamily, success: boolean, weight = 1): void {
    const arm = this.arms.get(family) ?? { successes: 0, failures: 0 };
    if (success) arm.successes += weight;
    else arm.failures += weight;
    this.arms.set(family, arm);
  }

  isQuarantined(family: OperatorFamily): boolean {
    return this.quarantined.has(family);
  }

  quarantinedFamilies(): OperatorFamily[] {
    return [...this.quarantined];
  }
}
