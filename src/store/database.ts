// Opens the RFSN SQLite database (WAL, busy timeout, foreign keys) and migrates it to the current schema version.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { CURRENT_SCHEMA_VERSION, MIGRATIONS } from "./migrations.js";

export { CURRENT_SCHEMA_VERSION } from "./migrations.js";

export type Database = BetterSqlite3.Database;

export interface OpenDatabaseOptions {
  /** Open without writing: no migrations (the file must already be current) and no journal-mode change. */
  readonly?: boolean;
}

const BUSY_TIMEOUT_MS = 5_000;

/** A database operation failed; the message says what to do about it. `code` is SQLite's (e.g. SQLITE_FULL) when known. */
export class StoreError extends Error {
  readonly path: string;
  readonly code: string | undefined;

  constructor(message: string, path: string, code?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreError";
    this.path = path;
    this.code = code;
  }
}

/** File-system errors (creating the directory) read like their SQLite counterparts. */
const FILE_SYSTEM_CODES: Readonly<Record<string, string>> = {
  ENOSPC: "SQLITE_FULL",
  EACCES: "SQLITE_READONLY",
  EPERM: "SQLITE_READONLY",
  EROFS: "SQLITE_READONLY",
};

function sqliteCode(error: unknown): string | undefined {
  if (error && typeof error === "object" && "code" in error && typeof error.code === "string")
    return error.code;
  return undefined;
}

/** Wraps a SQLite (or file-system) failure in a `StoreError` whose message names the file and the fix. */
export function toStoreError(error: unknown, path: string, action: string): StoreError {
  if (error instanceof StoreError) return error;
  const code = sqliteCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  const family = FILE_SYSTEM_CODES[code ?? ""] ?? code?.replace(/^(SQLITE_[A-Z]+).*$/, "$1");
  let message: string;
  switch (family) {
    case "SQLITE_FULL":
      message = `disk full while ${action} ${path}: free some space (or point RFSN_DB at another disk) and retry`;
      break;
    case "SQLITE_BUSY":
    case "SQLITE_LOCKED":
      message = `database ${path} is locked by another process (still busy after ${BUSY_TIMEOUT_MS / 1000} s) while ${action}; stop the other RFSN process using it, or give this one its own file`;
      break;
    case "SQLITE_READONLY":
      message = `cannot write ${path} while ${action}: the file or its directory is read-only; fix its permissions or use another path`;
      break;
    case "SQLITE_CORRUPT":
    case "SQLITE_NOTADB":
      message = `${path} is not a valid RFSN database (${detail}); move it aside and RFSN will start a new one`;
      break;
    case "SQLITE_CANTOPEN":
      message = `cannot open database ${path} while ${action}: check that the directory exists and is writable`;
      break;
    case "SQLITE_IOERR":
      message = `I/O error while ${action} ${path} (${detail}); check the disk and the file's permissions`;
      break;
    default:
      message = `database error while ${action} ${path}: ${detail}`;
  }
  return new StoreError(message, path, code ?? (error as NodeJS.ErrnoException | undefined)?.code, {
    cause: error,
  });
}

/** Runs `body`, turning any failure into a `StoreError` about `database`'s file. */
export function guardStore<T>(database: Database, action: string, body: () => T): T {
  try {
    return body();
  } catch (error) {
    throw toStoreError(error, database.name, action);
  }
}

function schemaVersion(database: Database): number {
  return Number(database.pragma("user_version", { simple: true }) ?? 0);
}

function migrate(database: Database, path: string, readonly: boolean): void {
  const found = schemaVersion(database);
  if (found > CURRENT_SCHEMA_VERSION) {
    throw new StoreError(
      `${path} has schema version ${found} but this RFSN only knows up to ${CURRENT_SCHEMA_VERSION}: upgrade RFSN, or point it at another database file`,
      path,
      "RFSN_SCHEMA_TOO_NEW",
    );
  }
  if (found === CURRENT_SCHEMA_VERSION) return;
  if (readonly) {
    throw new StoreError(
      `${path} has schema version ${found} (current is ${CURRENT_SCHEMA_VERSION}) and was opened read-only: open it read-write once to migrate it`,
      path,
      "RFSN_SCHEMA_TOO_OLD",
    );
  }
  for (const step of MIGRATIONS) {
    if (step.version <= found) continue;
    const apply = database.transaction(() => {
      database.exec(step.sql);
      database.pragma(`user_version = ${step.version}`);
    });
    try {
      apply();
    } catch (error) {
      throw toStoreError(error, path, `migrating to schema version ${step.version} (${step.description}) in`);
    }
  }
}

/**
 * Opens (creating it and its directory when needed) the database at `path`, or an in-memory one for ":memory:",
 * sets WAL, busy_timeout, foreign_keys and synchronous=NORMAL, and applies pending migrations.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Database {
  const readonly = options.readonly ?? false;
  const inMemory = path === ":memory:" || path === "";
  let database: Database;
  try {
    if (!inMemory && !readonly) mkdirSync(dirname(path), { recursive: true });
    database = new BetterSqlite3(path, { readonly, fileMustExist: readonly, timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw toStoreError(error, path, "opening");
  }
  try {
    database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (!readonly) database.pragma("journal_mode = WAL");
    database.pragma("synchronous = NORMAL");
    database.pragma("foreign_keys = ON");
    migrate(database, path, readonly);
  } catch (error) {
    database.close();
    throw toStoreError(error, path, "opening");
  }
  return database;
}
