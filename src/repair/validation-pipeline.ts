// Keeps up to a fixed number of abortable tasks running at once and hands back each result as it finishes.

export interface Finished<I, R> {
  item: I;
  /** null when the task was aborted (its result, if any, is not to be trusted or counted). */
  result: R | null;
}

/** Runs one task per item; `start` is refused while `size` equals the capacity. */
export class TaskPipeline<I, R> {
  private readonly running = new Map<
    number,
    { settled: Promise<Finished<I, R> & { id: number }>; controller: AbortController }
  >();
  private counter = 0;

  constructor(private readonly capacity: number) {}

  /** Tasks started and not yet handed back by `next`. */
  get size(): number {
    return this.running.size;
  }

  hasRoom(): boolean {
    return this.running.size < this.capacity;
  }

  /** Starts `task(signal)` for `item`; a task that throws makes `next` throw. */
  start(item: I, task: (signal: AbortSignal) => Promise<R>): void {
    if (!this.hasRoom()) throw new Error(`the pipeline already runs ${this.capacity} tasks`);
    const id = this.counter++;
    const controller = new AbortController();
    const settled = task(controller.signal).then((result) => ({
      id,
      item,
      result: controller.signal.aborted ? null : result,
    }));
    // A task that fails after being aborted must not surface as an unhandled rejection.
    settled.catch(() => undefined);
    this.running.set(id, { settled, controller });
  }

  /** The next task to finish, or null if `stop` settles first (tasks keep running); throws if that task threw. */
  async next(stop: Promise<unknown>): Promise<Finished<I, R> | null> {
    if (this.running.size === 0) return null;
    const finished = await Promise.race([
      ...[...this.running.values()].map(({ settled }) => settled),
      stop.then(() => null),
    ]);
    if (finished === null) return null;
    this.running.delete(finished.id);
    return { item: finished.item, result: finished.result };
  }

  /** Aborts every running task and waits until all of them have ended. */
  async abortAll(): Promise<void> {
    for (const { controller } of this.running.values()) controller.abort();
    await Promise.allSettled([...this.running.values()].map(({ settled }) => settled));
    this.running.clear();
  }
}
