// Daily LLM usage per installation account (calls, tokens, dollars) that the App's relay counts against its budgets.
import { type Database, guardStore } from "./database.js";

export interface DailyUsage {
  calls: number;
  tokens: number;
  dollars: number;
}

interface UsageRow {
  calls: number;
  tokens: number;
  micro_dollars: number;
}

/** The UTC day of `ms` as `YYYY-MM-DD`: budgets reset at midnight UTC. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export class LlmRelayUsageStore {
  private readonly select;
  private readonly add;

  constructor(private readonly database: Database) {
    this.select = database.prepare<[string, string], UsageRow>(
      "SELECT calls, tokens, micro_dollars FROM llm_relay_usage WHERE account = ? AND day = ?",
    );
    this.add = database.prepare<[string, string, number, number, number]>(
      `INSERT INTO llm_relay_usage (account, day, calls, tokens, micro_dollars) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (account, day) DO UPDATE SET calls = calls + excluded.calls, tokens = tokens + excluded.tokens,
         micro_dollars = micro_dollars + excluded.micro_dollars`,
    );
  }

  /** What `account` (an installation's owner, lower case) used on `day`. */
  usage(account: string, day: string): DailyUsage {
    const row = guardStore(this.database, "reading", () => this.select.get(account.toLowerCase(), day));
    return row
      ? { calls: row.calls, tokens: row.tokens, dollars: row.micro_dollars / 1_000_000 }
      : { calls: 0, tokens: 0, dollars: 0 };
  }

  /** Adds one call's usage (a cached answer counts as a call with no tokens or cost). */
  record(account: string, day: string, used: DailyUsage): void {
    guardStore(this.database, "writing", () =>
      this.add.run(
        account.toLowerCase(),
        day,
        used.calls,
        Math.max(0, Math.round(used.tokens)),
        Math.max(0, Math.round(used.dollars * 1_000_000)),
      ),
    );
  }
}
