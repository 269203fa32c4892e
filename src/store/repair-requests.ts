// Repair requests accepted by the App: one row per dedupe key, with its status, for limits, dedupe and restart recovery.
import { randomUUID } from "node:crypto";
import { type Database, guardStore, StoreError } from "./database.js";

export const REPAIR_TRIGGERS = ["ci-failure", "comment", "manual"] as const;
export type RepairTrigger = (typeof REPAIR_TRIGGERS)[number];

export const REPAIR_STATUSES = [
  "accepted",
  "dispatched",
  "running",
  "completed",
  "failed",
  "cancelled",
] as const;
export type RepairStatus = (typeof REPAIR_STATUSES)[number];

/** Where to answer a `/rfsn fix` comment. */
export interface CommentTarget {
  issueNumber: number;
  commentId: number | null;
}

export interface RepairRequest {
  id: string;
  /** `owner/name`. */
  repo: string;
  headSha: string;
  trigger: RepairTrigger;
  dedupeKey: string;
  status: RepairStatus;
  checkRunId: number | null;
  commentTarget: CommentTarget | null;
  requestedBy: string | null;
  detail: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface NewRepairRequest {
  /** Defaults to a random UUID. */
  id?: string;
  repo: string;
  headSha: string;
  trigger: RepairTrigger;
  dedupeKey: string;
  /** Defaults to "accepted". */
  status?: RepairStatus;
  checkRunId?: number | null;
  commentTarget?: CommentTarget | null;
  requestedBy?: string | null;
  detail?: string | null;
}

interface RequestRow {
  id: string;
  repo: string;
  head_sha: string;
  trigger: RepairTrigger;
  dedupe_key: string;
  status: RepairStatus;
  check_run_id: number | null;
  comment_issue_number: number | null;
  comment_id: number | null;
  requested_by: string | null;
  detail: string | null;
  created_at: number;
  updated_at: number;
}

const COLUMNS = `id, repo, head_sha, trigger, dedupe_key, status, check_run_id, comment_issue_number, comment_id,
  requested_by, detail, created_at, updated_at`;

function fromRow(row: RequestRow): RepairRequest {
  return {
    id: row.id,
    repo: row.repo,
    headSha: row.head_sha,
    trigger: row.trigger,
    dedupeKey: row.dedupe_key,
    status: row.status,
    checkRunId: row.check_run_id,
    commentTarget:
      row.comment_issue_number === null
        ? null
        : { issueNumber: row.comment_issue_number, commentId: row.comment_id },
    requestedBy: row.requested_by,
    detail: row.detail,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function checkOneOf<T extends string>(value: string, allowed: readonly T[], what: string, path: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new StoreError(`unknown repair ${what} "${value}": expected one of ${allowed.join(", ")}`, path);
  }
  return value as T;
}

export class RepairRequestStore {
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly insert;
  private readonly byId;
  private readonly byDedupeKey;
  private readonly setStatus;
  private readonly setCheckRun;
  private readonly latest;
  private readonly latestOfIssue;
  private readonly countIssue;
  private readonly activeOfIssue;
  private readonly countHead;
  private readonly countRecent;
  private readonly stale;

  constructor(
    private readonly database: Database,
    options: { now?: () => number; newId?: () => string } = {},
  ) {
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? randomUUID;
    this.insert = database.prepare(
      `INSERT INTO repair_requests (${COLUMNS})
       VALUES (@id, @repo, @head_sha, @trigger, @dedupe_key, @status, @check_run_id, @comment_issue_number, @comment_id,
         @requested_by, @detail, @created_at, @updated_at)
       ON CONFLICT (dedupe_key) DO NOTHING`,
    );
    this.byId = database.prepare<[string], RequestRow>(`SELECT ${COLUMNS} FROM repair_requests WHERE id = ?`);
    this.byDedupeKey = database.prepare<[string], RequestRow>(
      `SELECT ${COLUMNS} FROM repair_requests WHERE dedupe_key = ?`,
    );
    this.setStatus = database.prepare<[RepairStatus, string | null, number, string]>(
      "UPDATE repair_requests SET status = ?, detail = COALESCE(?, detail), updated_at = ? WHERE id = ?",
    );
    this.setCheckRun = database.prepare<[number, number, string]>(
      "UPDATE repair_requests SET check_run_id = ?, updated_at = ? WHERE id = ?",
    );
    this.latest = database.prepare<[string], RequestRow>(
      `SELECT ${COLUMNS} FROM repair_requests WHERE repo = ? ORDER BY created_at DESC, rowid DESC LIMIT 1`,
    );
    this.latestOfIssue = database.prepare<[string, number], RequestRow>(
      `SELECT ${COLUMNS} FROM repair_requests WHERE repo = ? AND comment_issue_number = ?
       ORDER BY created_at DESC, rowid DESC LIMIT 1`,
    );
    this.activeOfIssue = database.prepare<[string, number], RequestRow>(
      `SELECT ${COLUMNS} FROM repair_requests
       WHERE repo = ? AND comment_issue_number = ? AND status IN ('accepted', 'dispatched', 'running')
       ORDER BY created_at DESC, rowid DESC LIMIT 1`,
    );
    this.countIssue = database
      .prepare<[string, number], number>(
        "SELECT COUNT(*) FROM repair_requests WHERE repo = ? AND comment_issue_number = ?",
      )
      .pluck();
    this.countHead = database
      .prepare<[string, string], number>(
        "SELECT COUNT(*) FROM repair_requests WHERE repo = ? AND head_sha = ?",
      )
      .pluck();
    this.countRecent = database
      .prepare<[string, number], number>(
        "SELECT COUNT(*) FROM repair_requests WHERE repo = ? AND created_at >= ?",
      )
      .pluck();
    this.stale = database.prepare<[RepairStatus, number], RequestRow>(
      `SELECT ${COLUMNS} FROM repair_requests WHERE status = ? AND updated_at <= ? ORDER BY updated_at, rowid`,
    );
  }

  /**
   * Inserts the request unless one with the same dedupe key exists (atomically, also across processes);
   * returns the stored request and whether this call created it.
   */
  createIfAbsent(request: NewRepairRequest): { created: boolean; request: RepairRequest } {
    const path = this.database.name;
    const trigger = checkOneOf(request.trigger, REPAIR_TRIGGERS, "trigger", path);
    const status = checkOneOf(request.status ?? "accepted", REPAIR_STATUSES, "status", path);
    const now = this.now();
    const create = this.database.transaction(() => {
      const created =
        this.insert.run({
          id: request.id ?? this.newId(),
          repo: request.repo,
          head_sha: request.headSha,
          trigger,
          dedupe_key: request.dedupeKey,
          status,
          check_run_id: request.checkRunId ?? null,
          comment_issue_number: request.commentTarget?.issueNumber ?? null,
          comment_id: request.commentTarget?.commentId ?? null,
          requested_by: request.requestedBy ?? null,
          detail: request.detail ?? null,
          created_at: now,
          updated_at: now,
        }).changes === 1;
      const row = this.byDedupeKey.get(request.dedupeKey);
      if (!row)
        throw new StoreError(`repair request ${request.dedupeKey} vanished while being created`, path);
      return { created, request: fromRow(row) };
    });
    return guardStore(this.database, "writing", create);
  }

  /** Sets the status (and the detail, when given); returns the updated request, or undefined for an unknown id. */
  updateStatus(id: string, status: RepairStatus, detail?: string): RepairRequest | undefined {
    checkOneOf(status, REPAIR_STATUSES, "status", this.database.name);
    return guardStore(this.database, "writing", () => {
      if (this.setStatus.run(status, detail ?? null, this.now(), id).changes === 0) return undefined;
      return this.get(id);
    });
  }

  /** Records the check run that reports on this request; returns the updated request, or undefined for an unknown id. */
  setCheckRunId(id: string, checkRunId: number): RepairRequest | undefined {
    return guardStore(this.database, "writing", () => {
      if (this.setCheckRun.run(checkRunId, this.now(), id).changes === 0) return undefined;
      return this.get(id);
    });
  }

  get(id: string): RepairRequest | undefined {
    const row = guardStore(this.database, "reading", () => this.byId.get(id));
    return row ? fromRow(row) : undefined;
  }

  findByDedupeKey(dedupeKey: string): RepairRequest | undefined {
    const row = guardStore(this.database, "reading", () => this.byDedupeKey.get(dedupeKey));
    return row ? fromRow(row) : undefined;
  }

  /** The most recently created request of a repository (`owner/name`). */
  latestForRepository(repo: string): RepairRequest | undefined {
    const row = guardStore(this.database, "reading", () => this.latest.get(repo));
    return row ? fromRow(row) : undefined;
  }

  /** The most recently created request answering on this issue or pull request (where its command was typed). */
  latestForIssue(repo: string, issueNumber: number): RepairRequest | undefined {
    const row = guardStore(this.database, "reading", () => this.latestOfIssue.get(repo, issueNumber));
    return row ? fromRow(row) : undefined;
  }

  /** The newest request answering on this issue or pull request that has not finished (accepted, dispatched, running). */
  activeForIssue(repo: string, issueNumber: number): RepairRequest | undefined {
    const row = guardStore(this.database, "reading", () => this.activeOfIssue.get(repo, issueNumber));
    return row ? fromRow(row) : undefined;
  }

  /** How many requests (any status) answer on this issue or pull request: bounds the revisions of RFSN's own fix PR. */
  countForIssue(repo: string, issueNumber: number): number {
    return guardStore(this.database, "reading", () => this.countIssue.get(repo, issueNumber) ?? 0);
  }

  /** How many requests (any status) a head commit already has: the `attempts_per_commit` limit. */
  countForHeadSha(repo: string, headSha: string): number {
    return guardStore(this.database, "reading", () => this.countHead.get(repo, headSha) ?? 0);
  }

  /** How many requests a repository has created at or after `sinceMs` (ms since the epoch): the `runs_per_day` limit. */
  countSince(repo: string, sinceMs: number): number {
    return guardStore(this.database, "reading", () => this.countRecent.get(repo, sinceMs) ?? 0);
  }

  /** Requests still in `status` that have not changed for at least `olderThanMs` (by the store's clock), oldest first. */
  findStale(status: RepairStatus, olderThanMs: number): RepairRequest[] {
    const cutoff = this.now() - olderThanMs;
    return guardStore(this.database, "reading", () => this.stale.all(status, cutoff)).map(fromRow);
  }
}
