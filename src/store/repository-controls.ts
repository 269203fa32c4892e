// The App's off switches in SQLite: paused repositories, refused repairs (for `/rfsn status`) and pull requests opened per installation.
import { type Database, guardStore } from "./database.js";

export interface RepositoryPause {
  repo: string;
  pausedBy: string;
  pausedAt: number;
}

export interface RepairRefusal {
  repo: string;
  /** The issue or pull request the refusal concerns; null for a failure on a branch without one. */
  issueNumber: number | null;
  headSha: string;
  trigger: string;
  /** Bounded reason code (also the `reason` label of `rfsn_app_refusals_total`). */
  reason: string;
  /** A sentence a maintainer can act on. */
  detail: string;
  refusedAt: number;
}

interface RefusalRow {
  repo: string;
  issue_number: number | null;
  head_sha: string;
  trigger: string;
  reason: string;
  detail: string;
  refused_at: number;
}

function fromRefusalRow(row: RefusalRow): RepairRefusal {
  return {
    repo: row.repo,
    issueNumber: row.issue_number,
    headSha: row.head_sha,
    trigger: row.trigger,
    reason: row.reason,
    detail: row.detail,
    refusedAt: row.refused_at,
  };
}

const REFUSAL_COLUMNS = "repo, issue_number, head_sha, trigger, reason, detail, refused_at";

/** Repository names are stored lower-cased: GitHub treats `Octo/Repo` and `octo/repo` as one repository. */
function key(repo: string): string {
  return repo.toLowerCase();
}

export class RepositoryControlStore {
  private readonly now: () => number;
  private readonly insertPause;
  private readonly deletePause;
  private readonly pauseOf;
  private readonly insertRefusal;
  private readonly latestRefusalOfRepo;
  private readonly latestRefusalOfIssue;
  private readonly insertOpened;
  private readonly countOpened;

  constructor(
    private readonly database: Database,
    options: { now?: () => number } = {},
  ) {
    this.now = options.now ?? Date.now;
    this.insertPause = database.prepare<[string, string, number]>(
      "INSERT INTO repository_pauses (repo, paused_by, paused_at) VALUES (?, ?, ?) ON CONFLICT (repo) DO NOTHING",
    );
    this.deletePause = database.prepare<[string]>("DELETE FROM repository_pauses WHERE repo = ?");
    this.pauseOf = database.prepare<[string], { repo: string; paused_by: string; paused_at: number }>(
      "SELECT repo, paused_by, paused_at FROM repository_pauses WHERE repo = ?",
    );
    this.insertRefusal = database.prepare<[string, number | null, string, string, string, string, number]>(
      `INSERT INTO repair_refusals (${REFUSAL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.latestRefusalOfRepo = database.prepare<[string], RefusalRow>(
      `SELECT ${REFUSAL_COLUMNS} FROM repair_refusals WHERE repo = ? ORDER BY refused_at DESC, id DESC LIMIT 1`,
    );
    this.latestRefusalOfIssue = database.prepare<[string, number], RefusalRow>(
      `SELECT ${REFUSAL_COLUMNS} FROM repair_refusals WHERE repo = ? AND (issue_number = ? OR issue_number IS NULL)
       ORDER BY refused_at DESC, id DESC LIMIT 1`,
    );
    this.insertOpened = database.prepare<[number, string, number, number]>(
      "INSERT INTO opened_pull_requests (installation_id, repo, number, opened_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
    );
    this.countOpened = database
      .prepare<[number, number], number>(
        "SELECT COUNT(*) FROM opened_pull_requests WHERE installation_id = ? AND opened_at >= ?",
      )
      .pluck();
  }

  /** Pauses automatic runs of a repository; false when it was already paused (the first pause is kept). */
  pause(repo: string, pausedBy: string): boolean {
    return guardStore(
      this.database,
      "writing",
      () => this.insertPause.run(key(repo), pausedBy, this.now()).changes === 1,
    );
  }

  /** Lifts a pause; false when the repository was not paused. */
  resume(repo: string): boolean {
    return guardStore(this.database, "writing", () => this.deletePause.run(key(repo)).changes === 1);
  }

  pauseOfRepository(repo: string): RepositoryPause | null {
    const row = guardStore(this.database, "reading", () => this.pauseOf.get(key(repo)));
    return row ? { repo: row.repo, pausedBy: row.paused_by, pausedAt: row.paused_at } : null;
  }

  recordRefusal(refusal: Omit<RepairRefusal, "refusedAt">): RepairRefusal {
    const refusedAt = this.now();
    guardStore(this.database, "writing", () =>
      this.insertRefusal.run(
        key(refusal.repo),
        refusal.issueNumber,
        refusal.headSha,
        refusal.trigger,
        refusal.reason,
        refusal.detail,
        refusedAt,
      ),
    );
    return { ...refusal, repo: key(refusal.repo), refusedAt };
  }

  /** The newest refusal concerning this issue or pull request (or the repository's branches); the repository's newest without a number. */
  latestRefusal(repo: string, issueNumber: number | null): RepairRefusal | null {
    const row = guardStore(this.database, "reading", () =>
      issueNumber === null
        ? this.latestRefusalOfRepo.get(key(repo))
        : this.latestRefusalOfIssue.get(key(repo), issueNumber),
    );
    return row ? fromRefusalRow(row) : null;
  }

  /** Records a pull request RFSN opened (once per repository and number), for the installation's hourly cap. */
  recordOpenedPullRequest(installationId: number, repo: string, number: number): void {
    guardStore(this.database, "writing", () =>
      this.insertOpened.run(installationId, key(repo), number, this.now()),
    );
  }

  /** How many pull requests RFSN opened for this installation at or after `sinceMs`. */
  pullRequestsOpenedSince(installationId: number, sinceMs: number): number {
    return guardStore(this.database, "reading", () => this.countOpened.get(installationId, sinceMs) ?? 0);
  }
}
