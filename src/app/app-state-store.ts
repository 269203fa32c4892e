// App-only state kept next to the shared tables: onboarding pull requests opened, and the workflow run of each request.
import type { Database } from "../store/database.js";

export interface RequestRun {
  requestId: string;
  runId: number;
  runUrl: string;
}

export class AppStateStore {
  private readonly claimOnboarding;
  private readonly setOnboardingUrl;
  private readonly releaseOnboarding;
  private readonly onboardingOf;
  private readonly upsertRun;
  private readonly runOf;

  constructor(
    database: Database,
    private readonly now: () => number = Date.now,
  ) {
    database.exec(`
      CREATE TABLE IF NOT EXISTS app_onboarding (
        repo TEXT PRIMARY KEY,
        pull_request_url TEXT,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS app_request_runs (
        request_id TEXT PRIMARY KEY,
        run_id INTEGER NOT NULL,
        run_url TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `);
    this.claimOnboarding = database.prepare<[string, number]>(
      "INSERT INTO app_onboarding (repo, pull_request_url, created_at) VALUES (?, NULL, ?) ON CONFLICT (repo) DO NOTHING",
    );
    this.setOnboardingUrl = database.prepare<[string, string]>(
      "UPDATE app_onboarding SET pull_request_url = ? WHERE repo = ?",
    );
    this.releaseOnboarding = database.prepare<[string]>("DELETE FROM app_onboarding WHERE repo = ?");
    this.onboardingOf = database
      .prepare<[string], string | null>("SELECT pull_request_url FROM app_onboarding WHERE repo = ?")
      .pluck();
    this.upsertRun = database.prepare<[string, number, string, number]>(
      `INSERT INTO app_request_runs (request_id, run_id, run_url, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (request_id) DO UPDATE SET run_id = excluded.run_id, run_url = excluded.run_url, updated_at = excluded.updated_at`,
    );
    this.runOf = database.prepare<[string], { run_id: number; run_url: string }>(
      "SELECT run_id, run_url FROM app_request_runs WHERE request_id = ?",
    );
  }

  /** Atomically claims the one onboarding of a repository; false when it was already claimed (by this or another process). */
  claimOnboardingFor(repo: string): boolean {
    return this.claimOnboarding.run(repo.toLowerCase(), this.now()).changes === 1;
  }

  recordOnboardingPullRequest(repo: string, url: string): void {
    this.setOnboardingUrl.run(url, repo.toLowerCase());
  }

  /** Forgets a claim whose pull request could not be opened, so that a later event tries again. */
  releaseOnboardingClaim(repo: string): void {
    this.releaseOnboarding.run(repo.toLowerCase());
  }

  /** undefined: never onboarded; null: claimed, pull request not (yet) recorded; else its URL. */
  onboardingPullRequest(repo: string): string | null | undefined {
    return this.onboardingOf.get(repo.toLowerCase());
  }

  recordRun(requestId: string, runId: number, runUrl: string): void {
    this.upsertRun.run(requestId, runId, runUrl, this.now());
  }

  runForRequest(requestId: string): RequestRun | null {
    const row = this.runOf.get(requestId);
    return row ? { requestId, runId: row.run_id, runUrl: row.run_url } : null;
  }
}
