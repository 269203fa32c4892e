// The App's own record of every repair workflow it dispatched: the failing commit, branch, PR, workflow and the run bound to it.
import { type Database, guardStore, StoreError } from "./database.js";

export interface NewRepairDispatch {
  requestId: string;
  /** `owner/name` of the repository whose workflow runs the repair. */
  repo: string;
  /** The commit that failed: what the repair job checks out and what the fix commit's parent must be. */
  failingCommit: string;
  /** The branch that failed (in `headRepo` when the failure is a fork's pull request). */
  branch: string;
  pullRequest: number | null;
  /** `owner/name` of the fork that holds the failing commit; null when it is the repository's own. */
  headRepo: string | null;
  /** For a fork's pull request: whether its author lets maintainers push to its branch. */
  maintainerCanModify: boolean | null;
  /** The branch the fix pull request targets. */
  baseBranch: string;
  /** `.github/workflows/rfsn.yml`. */
  workflowPath: string;
  /** The ref the workflow was dispatched on (the default branch): GitHub reports it as the run's head branch. */
  dispatchRef: string;
}

export interface RepairDispatch extends NewRepairDispatch {
  runId: number | null;
  runUrl: string | null;
  /** The repair phase last reported by the run (reproduce, localize, patch, verify). */
  phase: string | null;
  finishedAt: number | null;
  /** JSON of what the App published for the run (once claimed: `{"state":"publishing"}`). */
  publication: string | null;
  dispatchedAt: number;
}

interface DispatchRow {
  request_id: string;
  repo: string;
  failing_commit: string;
  branch: string;
  pull_request: number | null;
  head_repo: string | null;
  maintainer_can_modify: number | null;
  base_branch: string;
  workflow_path: string;
  dispatch_ref: string;
  run_id: number | null;
  run_url: string | null;
  phase: string | null;
  finished_at: number | null;
  publication: string | null;
  dispatched_at: number;
}

const COLUMNS = `request_id, repo, failing_commit, branch, pull_request, head_repo, maintainer_can_modify, base_branch,
  workflow_path, dispatch_ref, run_id, run_url, phase, finished_at, publication, dispatched_at`;

const SHA = /^[0-9a-f]{40}$/;

function fromRow(row: DispatchRow): RepairDispatch {
  return {
    requestId: row.request_id,
    repo: row.repo,
    failingCommit: row.failing_commit,
    branch: row.branch,
    pullRequest: row.pull_request,
    headRepo: row.head_repo,
    maintainerCanModify: row.maintainer_can_modify === null ? null : row.maintainer_can_modify === 1,
    baseBranch: row.base_branch,
    workflowPath: row.workflow_path,
    dispatchRef: row.dispatch_ref,
    runId: row.run_id,
    runUrl: row.run_url,
    phase: row.phase,
    finishedAt: row.finished_at,
    publication: row.publication,
    dispatchedAt: row.dispatched_at,
  };
}

export class RepairDispatchStore {
  private readonly insert;
  private readonly byRequest;
  private readonly byRun;
  private readonly bind;
  private readonly setPhase;
  private readonly finish;
  private readonly claim;
  private readonly setPublication;
  private readonly release;

  constructor(
    private readonly database: Database,
    private readonly now: () => number = Date.now,
  ) {
    this.insert = database.prepare(
      `INSERT INTO repair_dispatches (${COLUMNS}) VALUES (@request_id, @repo, @failing_commit, @branch, @pull_request,
         @head_repo, @maintainer_can_modify, @base_branch, @workflow_path, @dispatch_ref, NULL, NULL, NULL, NULL, NULL,
         @dispatched_at)`,
    );
    this.byRequest = database.prepare<[string], DispatchRow>(
      `SELECT ${COLUMNS} FROM repair_dispatches WHERE request_id = ?`,
    );
    this.byRun = database.prepare<[string, number], DispatchRow>(
      `SELECT ${COLUMNS} FROM repair_dispatches WHERE lower(repo) = lower(?) AND run_id = ?`,
    );
    this.bind = database.prepare<[number, string | null, string, number]>(
      `UPDATE repair_dispatches SET run_id = ?, run_url = COALESCE(?, run_url)
       WHERE request_id = ? AND (run_id IS NULL OR run_id = ?)`,
    );
    this.setPhase = database.prepare<[string, string]>(
      "UPDATE repair_dispatches SET phase = ? WHERE request_id = ? AND finished_at IS NULL",
    );
    this.finish = database.prepare<[number, string]>(
      "UPDATE repair_dispatches SET finished_at = COALESCE(finished_at, ?) WHERE request_id = ?",
    );
    this.claim = database.prepare<[string, string]>(
      "UPDATE repair_dispatches SET publication = ? WHERE request_id = ? AND publication IS NULL",
    );
    this.setPublication = database.prepare<[string, string]>(
      "UPDATE repair_dispatches SET publication = ? WHERE request_id = ?",
    );
    this.release = database.prepare<[string]>(
      `UPDATE repair_dispatches SET publication = NULL WHERE request_id = ? AND publication = '{"state":"publishing"}'`,
    );
  }

  /** Records a dispatch (before the workflow is asked to run, so no run can outrun its record). */
  record(dispatch: NewRepairDispatch): RepairDispatch {
    const failing = dispatch.failingCommit.toLowerCase();
    if (!SHA.test(failing))
      throw new StoreError(
        `failing commit "${dispatch.failingCommit}" of request ${dispatch.requestId} is not a 40-hex sha`,
        this.database.name,
      );
    return guardStore(this.database, "writing", () => {
      this.insert.run({
        request_id: dispatch.requestId,
        repo: dispatch.repo,
        failing_commit: failing,
        branch: dispatch.branch,
        pull_request: dispatch.pullRequest,
        head_repo: dispatch.headRepo,
        maintainer_can_modify:
          dispatch.maintainerCanModify === null ? null : dispatch.maintainerCanModify ? 1 : 0,
        base_branch: dispatch.baseBranch,
        workflow_path: dispatch.workflowPath,
        dispatch_ref: dispatch.dispatchRef,
        dispatched_at: this.now(),
      });
      return fromRow(this.byRequest.get(dispatch.requestId) as DispatchRow);
    });
  }

  get(requestId: string): RepairDispatch | undefined {
    const row = guardStore(this.database, "reading", () => this.byRequest.get(requestId));
    return row ? fromRow(row) : undefined;
  }

  /** The dispatch bound to workflow run `runId` of `repo`. */
  findByRun(repo: string, runId: number): RepairDispatch | undefined {
    const row = guardStore(this.database, "reading", () => this.byRun.get(repo, runId));
    return row ? fromRow(row) : undefined;
  }

  /**
   * Binds the dispatch to the first workflow run that presents itself for it; later runs claiming the same request
   * are refused. Returns false when another run is bound already (or the run id belongs to another request).
   */
  bindRun(requestId: string, runId: number, runUrl: string | null): boolean {
    return guardStore(this.database, "writing", () => {
      try {
        return this.bind.run(runId, runUrl, requestId, runId).changes === 1;
      } catch (error) {
        if (error instanceof Error && /UNIQUE/i.test(error.message)) return false;
        throw error;
      }
    });
  }

  recordPhase(requestId: string, phase: string): void {
    guardStore(this.database, "writing", () => this.setPhase.run(phase, requestId));
  }

  /** Marks the run finished (first call wins); the relay answers only runs that are not finished. */
  markFinished(requestId: string): void {
    guardStore(this.database, "writing", () => this.finish.run(this.now(), requestId));
  }

  /** Claims the publication of a finished run once (a redelivered `completed` event finds it claimed). */
  claimPublication(requestId: string): boolean {
    return guardStore(
      this.database,
      "writing",
      () => this.claim.run(JSON.stringify({ state: "publishing" }), requestId).changes === 1,
    );
  }

  /** Gives a claimed publication back after an unexpected failure, so that GitHub's redelivery tries again. */
  releasePublication(requestId: string): void {
    guardStore(this.database, "writing", () => this.release.run(requestId));
  }

  recordPublication(requestId: string, publication: Record<string, unknown>): void {
    guardStore(this.database, "writing", () =>
      this.setPublication.run(JSON.stringify(publication), requestId),
    );
  }
}
