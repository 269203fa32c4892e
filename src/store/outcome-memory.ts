// Outcome memory: per failure class and operator family, how many patches were tried, how many were plausible, and the time spent.
import { OPERATOR_FAMILIES, type OperatorFamily } from "../core/types.js";
import { type Database, guardStore } from "./database.js";

export interface FamilyOutcomeStats {
  attempts: number;
  plausible: number;
  totalMs: number;
  /** When an attempt of this family last failed to give a plausible patch (ms since the epoch), null if never. */
  lastFailureAt: number | null;
}

/** One validated attempt. */
export interface AttemptOutcome {
  plausible: boolean;
  durationMs: number;
}

/** Either one attempt (`plausible: boolean`) or a tally of several (`attempts`, `plausible` count, `ms`). */
export type OutcomeEntry =
  | { fingerprintClass: string; family: OperatorFamily; plausible: boolean; durationMs: number }
  | { fingerprintClass: string; family: OperatorFamily; attempts: number; plausible: number; ms: number };

interface StatsRow {
  operator_family: string;
  attempts: number;
  plausible: number;
  total_ms: number;
  last_failure_at: number | null;
}

const KNOWN_FAMILIES: ReadonlySet<string> = new Set(OPERATOR_FAMILIES);

export class OutcomeMemory {
  private readonly upsert;
  private readonly select;
  private readonly now: () => number;

  constructor(
    private readonly database: Database,
    options: { now?: () => number } = {},
  ) {
    this.now = options.now ?? Date.now;
    this.upsert = database.prepare<[string, string, number, number, number, number | null]>(
      `INSERT INTO outcome_memory (fingerprint_class, operator_family, attempts, plausible, total_ms, last_failure_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (fingerprint_class, operator_family) DO UPDATE SET
         attempts = attempts + excluded.attempts,
         plausible = plausible + excluded.plausible,
         total_ms = total_ms + excluded.total_ms,
         last_failure_at = COALESCE(excluded.last_failure_at, last_failure_at)`,
    );
    this.select = database.prepare<[string], StatsRow>(
      `SELECT operator_family, attempts, plausible, total_ms, last_failure_at
       FROM outcome_memory WHERE fingerprint_class = ? ORDER BY operator_family`,
    );
  }

  /** Adds one attempt of `family` on a failure of class `fingerprintClass`. */
  record(fingerprintClass: string, family: OperatorFamily, attempt: AttemptOutcome): void {
    this.recordMany([{ fingerprintClass, family, ...attempt }]);
  }

  /** Adds several attempts or tallies in one transaction (all or nothing). */
  recordMany(entries: readonly OutcomeEntry[]): void {
    if (entries.length === 0) return;
    const now = this.now();
    const write = this.database.transaction(() => {
      for (const entry of entries) {
        const tally =
          typeof entry.plausible === "boolean"
            ? {
                attempts: 1,
                plausible: entry.plausible ? 1 : 0,
                ms: "durationMs" in entry ? entry.durationMs : 0,
              }
            : {
                attempts: "attempts" in entry ? entry.attempts : 0,
                plausible: entry.plausible,
                ms: "ms" in entry ? entry.ms : 0,
              };
        if (tally.attempts <= 0) continue;
        const failed = tally.plausible < tally.attempts;
        this.upsert.run(
          entry.fingerprintClass,
          entry.family,
          tally.attempts,
          Math.min(tally.plausible, tally.attempts),
          Math.max(0, Math.round(tally.ms)),
          failed ? now : null,
        );
      }
    });
    guardStore(this.database, "writing", write);
  }

  /** What is remembered for one failure class, by operator family (families this version does not know are left out). */
  statsFor(fingerprintClass: string): Map<OperatorFamily, FamilyOutcomeStats> {
    const rows = guardStore(this.database, "reading", () => this.select.all(fingerprintClass));
    const stats = new Map<OperatorFamily, FamilyOutcomeStats>();
    for (const row of rows) {
      if (!KNOWN_FAMILIES.has(row.operator_family)) continue;
      stats.set(row.operator_family as OperatorFamily, {
        attempts: row.attempts,
        plausible: row.plausible,
        totalMs: row.total_ms,
        lastFailureAt: row.last_failure_at,
      });
    }
    return stats;
  }
}
