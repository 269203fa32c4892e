// Append-only, hash-chained JSONL audit log of a repair session, and its verifier.
import { createHash } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { canonicalJson } from "./canonical-json.js";
import { maskSecretsDeep } from "./secret-masking.js";

/** `prev` of the first entry. */
export const GENESIS_HASH = "0".repeat(64);

export interface AuditEntry {
  /** 1-based position in the chain. */
  seq: number;
  /** ISO 8601 time of writing. */
  at: string;
  type: string;
  data: unknown;
  /** `hash` of the entry before (GENESIS_HASH for the first). */
  prev: string;
  /** sha256 hex of `prev` + canonical JSON of `{ seq, at, type, data }`. */
  hash: string;
}

export type AuditVerification =
  | { ok: true; entries: number; head: string }
  | { ok: false; line: number; problem: string };

export class AuditChainError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = "AuditChainError";
  }
}

/** The hash an entry must carry. */
export function entryHash(entry: Pick<AuditEntry, "seq" | "at" | "type" | "data" | "prev">): string {
  const body = canonicalJson({ seq: entry.seq, at: entry.at, type: entry.type, data: entry.data });
  return createHash("sha256").update(entry.prev).update(body).digest("hex");
}

export interface AuditLogOptions {
  clock?: () => Date;
}

/** An audit file opened for appending; reopening an existing file continues its chain. */
export class AuditLog {
  private constructor(
    readonly path: string,
    private seq: number,
    private head: string,
    private readonly clock: () => Date,
  ) {}

  /** Opens (creating it and its folder if needed) an audit file; throws AuditChainError when the existing chain is broken. */
  static open(path: string, options: AuditLogOptions = {}): AuditLog {
    mkdirSync(dirname(path), { recursive: true });
    const clock = options.clock ?? (() => new Date());
    if (!existsSync(path)) {
      appendFileSync(path, "");
      return new AuditLog(path, 0, GENESIS_HASH, clock);
    }
    const verification = verifyAuditText(readFileSync(path, "utf8"));
    if (!verification.ok) {
      throw new AuditChainError(
        path,
        `cannot append to ${path}: line ${verification.line}: ${verification.problem}; keep it as evidence and start a new audit file`,
      );
    }
    return new AuditLog(path, verification.entries, verification.head, clock);
  }

  /** Number of entries in the chain. */
  get entries(): number {
    return this.seq;
  }

  /** Hash of the last entry; publish it elsewhere to make deleting trailing lines detectable. */
  get headHash(): string {
    return this.head;
  }

  /** Appends one entry (secret-looking strings in `data` are masked first) and returns it. */
  append(type: string, data: unknown = {}): AuditEntry {
    const normalized = JSON.parse(JSON.stringify(maskSecretsDeep(data) ?? null)) as unknown;
    const unhashed = {
      seq: this.seq + 1,
      at: this.clock().toISOString(),
      type,
      data: normalized,
      prev: this.head,
    };
    const entry: AuditEntry = { ...unhashed, hash: entryHash(unhashed) };
    appendFileSync(this.path, `${JSON.stringify(entry)}\n`);
    this.seq = entry.seq;
    this.head = entry.hash;
    return entry;
  }
}

function isEntryShape(value: unknown): value is AuditEntry {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry.seq === "number" &&
    typeof entry.at === "string" &&
    typeof entry.type === "string" &&
    "data" in entry &&
    typeof entry.prev === "string" &&
    typeof entry.hash === "string"
  );
}

/** Verifies the chain in the text of an audit file. */
export function verifyAuditText(text: string): AuditVerification {
  if (text === "") return { ok: true, entries: 0, head: GENESIS_HASH };
  const endsCleanly = text.endsWith("\n");
  const lines = (endsCleanly ? text.slice(0, -1) : text).split("\n");
  let previous = GENESIS_HASH;
  for (const [index, line] of lines.entries()) {
    const lineNumber = index + 1;
    const isLast = index === lines.length - 1;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      if (isLast && !endsCleanly)
        return { ok: false, line: lineNumber, problem: "the last line is truncated" };
      return { ok: false, line: lineNumber, problem: line.trim() === "" ? "empty line" : "not valid JSON" };
    }
    if (!isEntryShape(parsed)) {
      return {
        ok: false,
        line: lineNumber,
        problem: "not an audit entry (needs seq, at, type, data, prev, hash)",
      };
    }
    if (parsed.seq !== lineNumber) {
      return {
        ok: false,
        line: lineNumber,
        problem: `sequence number ${parsed.seq} where ${lineNumber} was expected (a line was deleted, inserted or moved)`,
      };
    }
    if (parsed.prev !== previous) {
      return {
        ok: false,
        line: lineNumber,
        problem: "prev does not match the hash of the line before (a line was deleted, inserted or moved)",
      };
    }
    if (entryHash(parsed) !== parsed.hash) {
      return {
        ok: false,
        line: lineNumber,
        problem: "hash mismatch: the entry was edited after it was written",
      };
    }
    if (isLast && !endsCleanly) return { ok: false, line: lineNumber, problem: "the last line is truncated" };
    previous = parsed.hash;
  }
  return { ok: true, entries: lines.length, head: previous };
}

/** Reads and verifies an audit file; throws (ENOENT, EACCES…) when it cannot be read. */
export function verifyAuditFile(path: string): AuditVerification {
  return verifyAuditText(readFileSync(path, "utf8"));
}
