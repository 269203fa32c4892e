// Timeouts of candidate test runs after a hung baseline: estimated from the passing tests of the same files, then deepened (doubled) while candidates keep timing out.
import type { TestCaseResult } from "../core/types.js";

/** What starting the test command costs before the first test runs, when nothing measured it (a warm process pays less). */
const STARTUP_MS = 800;
/** A run may take this multiple of its estimate before it counts as hung. */
const SLACK = 3;
/** The first timeout is at least this (iterative deepening starts near one second). */
export const FIRST_TIMEOUT_MS = 1_000;

/** How long a test is expected to take: the slowest passing test of its file, else of the whole run, else 0. */
function expectedMs(test: TestCaseResult, passing: readonly TestCaseResult[]): number {
  const durations = (tests: readonly TestCaseResult[]) => tests.map((other) => other.durationMs ?? 0);
  const sameFile = passing.filter((other) => other.file !== undefined && other.file === test.file);
  return Math.max(0, ...durations(sameFile.length > 0 ? sameFile : passing));
}

export interface HangTimeoutsInput {
  /** The baseline's tests (those a hang left unfinished fail). */
  tests: readonly TestCaseResult[];
  /** The failing tests candidates must fix. */
  failing: readonly TestCaseResult[];
  /** The most a run may be given: what the baseline itself waited. */
  maxMs: number;
}

/**
 * Iterative deepening of the timeouts of candidate runs when the baseline hung. A candidate's failing tests first get
 * about what the passing tests of their files take (at least FIRST_TIMEOUT_MS); each deepening doubles that, up to
 * what the baseline waited. Candidates that time out are kept so that they can be tried again once deeper.
 */
export class HangTimeouts<Candidate> {
  private levelMs: number;
  private readonly passingMs: number;
  private readonly maxMs: number;
  private timedOutAtLevel: Candidate[] = [];
  /** Results at the current level: how many ran, how many timed out. */
  private ranAtLevel = 0;
  private timeoutsAtLevel = 0;

  constructor(input: HangTimeoutsInput) {
    const passing = input.tests.filter((test) => test.status === "passed");
    const failingMs = input.failing.reduce((sum, test) => sum + expectedMs(test, passing), 0);
    this.passingMs = passing.reduce((sum, test) => sum + (test.durationMs ?? 0), 0);
    this.maxMs = Math.max(FIRST_TIMEOUT_MS, input.maxMs);
    this.levelMs = Math.min(this.maxMs, Math.max(FIRST_TIMEOUT_MS, STARTUP_MS + SLACK * failingMs));
  }

  /** The timeout of a run of the failing tests alone. */
  failingTimeoutMs(remainingMs: number): number {
    return Math.max(1, Math.min(this.levelMs, remainingMs));
  }

  /** The timeout of a run of the whole suite: the failing tests' level plus what the passing tests take. */
  suiteTimeoutMs(remainingMs: number): number {
    return Math.max(1, Math.min(this.levelMs + SLACK * this.passingMs, this.maxMs, remainingMs));
  }

  /** Counts a validated candidate; one that timed out is kept for a deeper try. */
  record(candidate: Candidate, timedOut: boolean): void {
    this.ranAtLevel += 1;
    if (!timedOut) return;
    this.timeoutsAtLevel += 1;
    this.timedOutAtLevel.push(candidate);
  }

  /**
   * Whether the level is too shallow for anything to finish: the first `sample` candidates at this level all timed
   * out (the test command itself may take longer to start than the estimate).
   */
  everythingTimesOut(sample: number): boolean {
    return this.ranAtLevel >= sample && this.timeoutsAtLevel === this.ranAtLevel;
  }

  /**
   * Doubles the timeout and hands back the candidates that timed out at the shallower level (to try again), or null
   * when the timeout is already as deep as it goes or nothing timed out.
   */
  deepen(): Candidate[] | null {
    if (this.timedOutAtLevel.length === 0 || this.levelMs >= this.maxMs) return null;
    this.levelMs = Math.min(this.maxMs, this.levelMs * 2);
    const retry = this.timedOutAtLevel;
    this.timedOutAtLevel = [];
    this.ranAtLevel = 0;
    this.timeoutsAtLevel = 0;
    return retry;
  }

  get currentLevelMs(): number {
    return this.levelMs;
  }
}
