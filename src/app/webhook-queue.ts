// A bounded in-process work queue: at most `concurrency` jobs run at once, at most `capacity` wait, idle() waits for empty.

export interface WorkQueueOptions {
  /** Jobs run at the same time (at least 1). */
  concurrency: number;
  /** Jobs allowed to wait; `push` refuses more. */
  capacity: number;
  /** Called with any error a job throws (jobs should handle their own errors; this is the last resort). */
  onError?: (error: unknown) => void;
  /** Asked before each start with the number of running jobs: milliseconds to hold the next job back (0: start it). */
  admit?: (active: number) => number;
}

export type Job = () => Promise<void>;

export class WorkQueue {
  private readonly waiting: Job[] = [];
  private running = 0;
  private idleWaiters: Array<() => void> = [];
  private recheck: NodeJS.Timeout | undefined;
  private readonly concurrency: number;
  private readonly capacity: number;

  constructor(private readonly options: WorkQueueOptions) {
    this.concurrency = Math.max(1, Math.floor(options.concurrency));
    this.capacity = Math.max(0, Math.floor(options.capacity));
  }

  /** Jobs waiting to start. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Jobs running now. */
  get active(): number {
    return this.running;
  }

  /** Whether one more job would be accepted right now. */
  hasRoom(): boolean {
    return this.running < this.concurrency || this.waiting.length < this.capacity;
  }

  /** Queues a job; false (job not taken) when the queue is full. */
  push(job: Job): boolean {
    if (!this.hasRoom()) return false;
    this.waiting.push(job);
    this.pump();
    return true;
  }

  /** Resolves once nothing is queued or running (at once when already idle). */
  idle(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Forgets the jobs that have not started yet and returns how many there were (running jobs go on). */
  dropWaiting(): number {
    const dropped = this.waiting.length;
    this.waiting.length = 0;
    clearTimeout(this.recheck);
    this.recheck = undefined;
    this.wakeIfIdle();
    return dropped;
  }

  private pump(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const holdMs = this.options.admit?.(this.running) ?? 0;
      if (holdMs > 0) {
        this.recheck ??= setTimeout(() => {
          this.recheck = undefined;
          this.pump();
        }, holdMs);
        return;
      }
      const job = this.waiting.shift() as Job;
      this.running += 1;
      void this.run(job);
    }
  }

  private async run(job: Job): Promise<void> {
    try {
      await job();
    } catch (error) {
      this.options.onError?.(error);
    } finally {
      this.running -= 1;
      this.pump();
      this.wakeIfIdle();
    }
  }

  private wakeIfIdle(): void {
    if (this.running !== 0 || this.waiting.length !== 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
