// The session's kept-alive test processes: one per worktree, started on first use, given up when they prove unreliable.
import type {
  TestRunner,
  TestRunnerResult,
  WarmRunOptions,
  WarmTestSession,
} from "../runtime/test-runners/index.js";
import type { Worktree } from "../runtime/workspace.js";

export class WarmSessions {
  private readonly sessions = new Map<Worktree, WarmTestSession>();
  private unreliable = false;
  private closed = false;

  /** `onGiveUp` hears once why warm runs stopped (a warm run failed where a fresh one worked). */
  constructor(
    private readonly runner: TestRunner,
    private readonly onGiveUp: (detail: string) => void = () => {},
  ) {}

  /** Whether the runner has kept-alive processes at all. */
  get available(): boolean {
    return this.runner.startWarmSession !== undefined;
  }

  /** The worktree's process (started now if needed); undefined without one, once given up, or after closing. */
  for(worktree: Worktree): WarmTestSession | undefined {
    if (!this.runner.startWarmSession || this.unreliable || this.closed) return undefined;
    let session = this.sessions.get(worktree);
    if (!session) {
      session = this.runner.startWarmSession(worktree.dir);
      this.sessions.set(worktree, session);
    }
    return session;
  }

  /**
   * Runs `testIds` (without them, the whole suite) in the worktree's warm process when there is one and it can run
   * them. A warm run that could not start or collect is repeated fresh; when the fresh run works, warm runs stop for
   * the rest of the session. Every run goes to `onRun`.
   */
  async runTests(
    worktree: Worktree,
    options: WarmRunOptions,
    onRun: (run: TestRunnerResult) => void,
  ): Promise<TestRunnerResult> {
    const fresh = async () => {
      const run = await this.runner.run({ cwd: worktree.dir, ...options });
      onRun(run);
      return run;
    };
    const session = this.for(worktree);
    if (!session || (options.testIds === undefined && !session.runsWholeSuite())) return fresh();
    const warm = await session.run(options);
    onRun(warm);
    if (!warm.setupError || options.signal?.aborted) return warm;
    const cold = await fresh();
    if (!cold.setupError && !this.unreliable) {
      this.unreliable = true;
      this.onGiveUp(warm.setupError);
    }
    return cold;
  }

  /** Kills every process; none starts afterwards. */
  closeAll(): void {
    this.closed = true;
    for (const session of this.sessions.values()) session.close();
    this.sessions.clear();
  }
}
