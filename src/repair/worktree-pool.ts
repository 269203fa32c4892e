// A fixed pool of git worktrees, one per parallel validation job, reset to the base state between candidates.
import type { SourceRepository, Worktree } from "../runtime/workspace.js";

export class WorktreePool {
  private readonly idle: Worktree[] = [];
  private readonly waiters: Array<(worktree: Worktree) => void> = [];
  private readonly all: Worktree[] = [];

  private constructor() {}

  static async create(repository: SourceRepository, size: number): Promise<WorktreePool> {
    const pool = new WorktreePool();
    try {
      for (let i = 0; i < Math.max(1, size); i += 1) {
        const worktree = await repository.createWorktree();
        pool.all.push(worktree);
        pool.idle.push(worktree);
      }
    } catch (error) {
      await pool.dispose();
      throw error;
    }
    return pool;
  }

  get size(): number {
    return this.all.length;
  }

  get worktrees(): readonly Worktree[] {
    return this.all;
  }

  /** Runs `task` on a worktree that was reset to the base state, waiting for one to be free. */
  async use<T>(task: (worktree: Worktree) => Promise<T>): Promise<T> {
    const worktree =
      this.idle.pop() ?? (await new Promise<Worktree>((resolve) => this.waiters.push(resolve)));
    try {
      await worktree.reset();
      return await task(worktree);
    } finally {
      const next = this.waiters.shift();
      if (next) next(worktree);
      else this.idle.push(worktree);
    }
  }

  async dispose(): Promise<void> {
    await Promise.allSettled(this.all.map((worktree) => worktree.dispose()));
    this.all.length = 0;
    this.idle.length = 0;
  }
}
