// The small part of sql.js (SQLite compiled to WebAssembly) that the Action's database driver uses.
declare module "sql.js/dist/sql-wasm-inline.js" {
  export interface SqlJsStatement {
    bind(values?: unknown[] | Record<string, unknown>): boolean;
    step(): boolean;
    getAsObject(): Record<string, unknown>;
    get(): unknown[];
    getColumnNames(): string[];
    reset(): void;
    free(): boolean;
  }
  export interface SqlJsDatabase {
    exec(sql: string): Array<{ columns: string[]; values: unknown[][] }>;
    run(sql: string, params?: unknown[] | Record<string, unknown>): void;
    prepare(sql: string): SqlJsStatement;
    getRowsModified(): number;
    export(): Uint8Array;
    close(): void;
  }
  export interface SqlJsStatic {
    Database: new (data?: Uint8Array | null) => SqlJsDatabase;
  }
  export default function initSqlJs(config?: Record<string, unknown>): Promise<SqlJsStatic>;
}
