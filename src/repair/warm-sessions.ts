// The session's kept-alive test processes: one per worktree, started on first use, given up when they prove unreliable.
import type { TestRunner, WarmTestSession } from "../runtime/test-runners/index.js";
import type { Worktree } from "../runtime/workspace.js";

export class WarmSessions {
  private readonly sessions = new Map<Worktree, WarmTestSession>();
  private unreliable = false;
  private closed = false;

  constructor(private readonly runner: TestRunner) {}

  /** Whether the runner has kept-alive processes at all. */
  get available(): boolean {
    return this.runner.startWarmSession !== undefined;
  }

  /** The worktree's process (started now if needed); undefined without one or once given up. */
  for(worktree: Worktree): WarmTestSession | undefined {
    if (!this.runner.startWarmSession || this.unreliable || this.closed) return undefined;
    let session = this.sessions.get(worktree);
    if (!session) {
      session = this.runner.startWarmSession(worktree.dir);
      this.sessions.set(worktree, session);
    }
    return session;
  }

  /** Stops handing out warm processes (they failed where a fresh run worked); true the first time. */
  giveUp(): boolean {
    if (this.unreliable) return false;
    this.unreliable = true;
    return true;
  }

  /** Kills every process; none starts afterwards. */
  closeAll(): void {
    this.closed = true;
    for (const session of this.sessions.values()) session.close();
    this.sessions.clear();
  }
}
