// Gives webhook intake priority over processing: while webhooks arrive in a burst, processing starts one job at a time at a bounded rate.

export interface IntakePressureOptions {
  /** Webhooks per second (over the last second) from which the intake counts as a burst. */
  burstPerSecond: number;
  /** Jobs started per second at most during a burst (one at a time). */
  burstJobsPerSecond: number;
}

/** How often a job held back during a burst checks again whether it may start. */
const RECHECK_MS = 50;
const BUCKET_MS = 100;
const BUCKETS = 10;

/**
 * Counts arrivals in 100 ms buckets over the last second. Outside a burst every job may start at once; during one,
 * `admit` holds jobs back so that answering webhooks (GitHub waits at most 10 s) keeps the CPU it needs, and the
 * acknowledged backlog, safe in the journal, is worked off at full speed once the burst is over.
 */
export class IntakePressure {
  private readonly counts = new Array<number>(BUCKETS).fill(0);
  private bucketStart = 0;
  private lastJobStartMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly options: IntakePressureOptions,
    private readonly now: () => number,
  ) {}

  /** Records one accepted webhook. */
  arrived(): void {
    this.advance();
    this.counts[this.counts.length - 1] = (this.counts.at(-1) ?? 0) + 1;
  }

  /** Webhooks accepted during the last second. */
  perSecond(): number {
    this.advance();
    return this.counts.reduce((sum, count) => sum + count, 0);
  }

  inBurst(): boolean {
    return this.perSecond() >= this.options.burstPerSecond;
  }

  /** Milliseconds before the next job may start with `active` jobs running; 0 means it starts now (and is counted). */
  admit(active: number): number {
    const time = this.now();
    if (this.inBurst()) {
      if (active > 0) return RECHECK_MS;
      const wait = this.lastJobStartMs + 1000 / this.options.burstJobsPerSecond - time;
      if (wait > 0) return Math.ceil(wait);
    }
    this.lastJobStartMs = time;
    return 0;
  }

  private advance(): void {
    const time = this.now();
    const current = Math.floor(time / BUCKET_MS) * BUCKET_MS;
    if (this.bucketStart === 0) this.bucketStart = current;
    const steps = Math.min(BUCKETS, Math.max(0, (current - this.bucketStart) / BUCKET_MS));
    for (let step = 0; step < steps; step += 1) {
      this.counts.shift();
      this.counts.push(0);
    }
    this.bucketStart = current;
  }
}
