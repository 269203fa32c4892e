// The ordered schema migrations of the RFSN database; step N brings `PRAGMA user_version` from N-1 to N.

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "webhook deliveries and outcome memory",
    sql: `
      CREATE TABLE deliveries (
        id TEXT PRIMARY KEY,
        event TEXT NOT NULL,
        received_at INTEGER NOT NULL
      );
      CREATE TABLE outcome_memory (
        fingerprint_class TEXT NOT NULL,
        operator_family TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        plausible INTEGER NOT NULL DEFAULT 0,
        total_ms INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (fingerprint_class, operator_family)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    description: "repair requests with their dedupe key",
    sql: `
      CREATE TABLE repair_requests (
        id TEXT PRIMARY KEY,
        repo TEXT NOT NULL,
        head_sha TEXT NOT NULL,
        trigger TEXT NOT NULL CHECK (trigger IN ('ci-failure', 'comment', 'manual')),
        dedupe_key TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL
          CHECK (status IN ('accepted', 'dispatched', 'running', 'completed', 'failed', 'cancelled')),
        check_run_id INTEGER,
        comment_issue_number INTEGER,
        comment_id INTEGER,
        requested_by TEXT,
        detail TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX repair_requests_by_repo_time ON repair_requests (repo, created_at);
      CREATE INDEX repair_requests_by_head ON repair_requests (repo, head_sha);
      CREATE INDEX repair_requests_by_status_age ON repair_requests (status, updated_at);
    `,
  },
  {
    version: 3,
    description: "LLM response cache, last failure time in outcome memory, delivery pruning index",
    sql: `
      CREATE TABLE llm_cache (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        size_bytes INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        last_used_at INTEGER NOT NULL
      );
      CREATE INDEX llm_cache_by_last_use ON llm_cache (last_used_at);
      CREATE INDEX llm_cache_by_expiry ON llm_cache (expires_at);
      ALTER TABLE outcome_memory ADD COLUMN last_failure_at INTEGER;
      CREATE INDEX deliveries_by_time ON deliveries (received_at);
    `,
  },
  {
    version: 4,
    description:
      "what the App dispatched for each repair (its trusted record) and the LLM relay's daily usage",
    sql: `
      CREATE TABLE repair_dispatches (
        request_id TEXT PRIMARY KEY REFERENCES repair_requests (id) ON DELETE CASCADE,
        repo TEXT NOT NULL,
        failing_commit TEXT NOT NULL CHECK (length(failing_commit) = 40),
        branch TEXT NOT NULL,
        pull_request INTEGER,
        head_repo TEXT,
        maintainer_can_modify INTEGER,
        base_branch TEXT NOT NULL,
        workflow_path TEXT NOT NULL,
        dispatch_ref TEXT NOT NULL,
        run_id INTEGER,
        run_url TEXT,
        phase TEXT,
        finished_at INTEGER,
        publication TEXT,
        dispatched_at INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX repair_dispatches_by_run ON repair_dispatches (repo, run_id) WHERE run_id IS NOT NULL;
      CREATE TABLE llm_relay_usage (
        account TEXT NOT NULL,
        day TEXT NOT NULL,
        calls INTEGER NOT NULL DEFAULT 0,
        tokens INTEGER NOT NULL DEFAULT 0,
        micro_dollars INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (account, day)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 5,
    description: "off switches: paused repositories, refused repairs, pull requests opened per installation",
    sql: `
      CREATE TABLE repository_pauses (
        repo TEXT PRIMARY KEY,
        paused_by TEXT NOT NULL,
        paused_at INTEGER NOT NULL
      );
      CREATE TABLE repair_refusals (
        id INTEGER PRIMARY KEY,
        repo TEXT NOT NULL,
        issue_number INTEGER,
        head_sha TEXT NOT NULL,
        trigger TEXT NOT NULL,
        reason TEXT NOT NULL,
        detail TEXT NOT NULL,
        refused_at INTEGER NOT NULL
      );
      CREATE INDEX repair_refusals_by_repo_time ON repair_refusals (repo, refused_at);
      CREATE TABLE opened_pull_requests (
        installation_id INTEGER NOT NULL,
        repo TEXT NOT NULL,
        number INTEGER NOT NULL,
        opened_at INTEGER NOT NULL,
        PRIMARY KEY (repo, number)
      );
      CREATE INDEX opened_pull_requests_by_installation_time ON opened_pull_requests (installation_id, opened_at);
      CREATE INDEX repair_requests_by_issue ON repair_requests (repo, comment_issue_number);
    `,
  },
];

export const CURRENT_SCHEMA_VERSION: number = MIGRATIONS.length;
