// A better-sqlite3-compatible driver over sql.js (WebAssembly), used by the single-file Action bundle where native addons cannot load.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import initSqlJs, { type SqlJsDatabase, type SqlJsStatement } from "sql.js/dist/sql-wasm-inline.js";

const SQL = await initSqlJs();

type Parameters = unknown[];

function bindable(params: Parameters): unknown[] | Record<string, unknown> | undefined {
  if (params.length === 0) return undefined;
  const [first] = params;
  if (
    params.length === 1 &&
    first !== null &&
    typeof first === "object" &&
    !Array.isArray(first) &&
    !(first instanceof Uint8Array)
  ) {
    // better-sqlite3 takes `{ name }` for `@name`, `:name` and `$name`; sql.js wants the prefix in the key.
    const named: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(first as Record<string, unknown>)) {
      const normalized = typeof value === "boolean" ? Number(value) : value;
      named[`@${key}`] = normalized;
      named[`:${key}`] = normalized;
      named[`$${key}`] = normalized;
    }
    return named;
  }
  return params.map((value) => (typeof value === "boolean" ? Number(value) : value));
}

class Statement {
  private pluckFirst = false;

  constructor(
    private readonly owner: Database,
    private readonly sql: string,
  ) {}

  private withStatement<T>(params: Parameters, use: (statement: SqlJsStatement) => T): T {
    const statement = this.owner.raw.prepare(this.sql);
    try {
      const values = bindable(params);
      if (values) statement.bind(values);
      return use(statement);
    } finally {
      statement.free();
    }
  }

  pluck(enabled = true): this {
    this.pluckFirst = enabled;
    return this;
  }

  run(...params: Parameters): { changes: number; lastInsertRowid: number } {
    this.withStatement(params, (statement) => {
      while (statement.step()) {
        // drain rows of statements such as INSERT … RETURNING
      }
    });
    this.owner.dirty = true;
    const changes = this.owner.raw.getRowsModified();
    const rowid = this.owner.raw.exec("SELECT last_insert_rowid()")[0]?.values[0]?.[0];
    return { changes, lastInsertRowid: Number(rowid ?? 0) };
  }

  get(...params: Parameters): unknown {
    return this.withStatement(params, (statement) => {
      if (!statement.step()) return undefined;
      return this.pluckFirst ? statement.get()[0] : statement.getAsObject();
    });
  }

  all(...params: Parameters): unknown[] {
    return this.withStatement(params, (statement) => {
      const rows: unknown[] = [];
      while (statement.step()) rows.push(this.pluckFirst ? statement.get()[0] : statement.getAsObject());
      return rows;
    });
  }

  *iterate(...params: Parameters): IterableIterator<unknown> {
    yield* this.all(...params);
  }
}

/** Keeps the database in memory and writes the whole file back on close (atomically, via a rename). */
export default class Database {
  readonly raw: SqlJsDatabase;
  readonly name: string;
  readonly memory: boolean;
  readonly readonly: boolean;
  dirty = false;
  open = true;
  inTransaction = false;

  constructor(path = ":memory:", options: { readonly?: boolean; fileMustExist?: boolean } = {}) {
    this.name = path;
    this.memory = path === ":memory:" || path === "";
    this.readonly = options.readonly ?? false;
    if (!this.memory && options.fileMustExist && !existsSync(path))
      throw new Error(`unable to open database file: ${path}`);
    const bytes = !this.memory && existsSync(path) ? readFileSync(path) : null;
    this.raw = new SQL.Database(bytes && bytes.length > 0 ? new Uint8Array(bytes) : null);
  }

  prepare(sql: string): Statement {
    return new Statement(this, sql);
  }

  exec(sql: string): this {
    this.raw.exec(sql);
    this.dirty = true;
    return this;
  }

  pragma(source: string, options: { simple?: boolean } = {}): unknown {
    const result = this.raw.exec(`PRAGMA ${source}`)[0];
    if (/=/.test(source)) this.dirty = true;
    if (!result) return options.simple ? undefined : [];
    if (options.simple) return result.values[0]?.[0];
    return result.values.map((row) =>
      Object.fromEntries(result.columns.map((column, i) => [column, row[i]])),
    );
  }

  transaction<A extends unknown[], R>(body: (...args: A) => R): (...args: A) => R {
    return (...args: A) => {
      const nested = this.inTransaction;
      const savepoint = `rfsn_sp_${Math.random().toString(36).slice(2)}`;
      this.raw.exec(nested ? `SAVEPOINT ${savepoint}` : "BEGIN");
      this.inTransaction = true;
      try {
        const result = body(...args);
        this.raw.exec(nested ? `RELEASE ${savepoint}` : "COMMIT");
        return result;
      } catch (error) {
        this.raw.exec(nested ? `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}` : "ROLLBACK");
        throw error;
      } finally {
        if (!nested) this.inTransaction = false;
        this.dirty = true;
      }
    };
  }

  /** Writes the database file now (close() does it too). */
  flush(): void {
    if (this.memory || this.readonly || !this.dirty) return;
    mkdirSync(dirname(this.name), { recursive: true });
    const temporary = `${this.name}.tmp-${process.pid}`;
    writeFileSync(temporary, this.raw.export());
    renameSync(temporary, this.name);
    this.dirty = false;
  }

  close(): this {
    if (!this.open) return this;
    this.flush();
    this.raw.close();
    this.open = false;
    return this;
  }
}
