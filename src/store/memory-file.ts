// Opens the outcome-memory database file used by the CLI and the Action (default under the user's state directory).
import { homedir } from "node:os";
import { join } from "node:path";
import { type Database, openDatabase } from "./database.js";
import { OutcomeMemory } from "./outcome-memory.js";

export function defaultMemoryPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.RFSN_DB) return env.RFSN_DB;
  const stateHome = env.XDG_STATE_HOME || join(homedir(), ".local", "state");
  return join(stateHome, "rfsn", "rfsn.db");
}

/** The outcome memory and the database it lives in (which also holds the LLM response cache). */
export function openOutcomeMemory(path?: string): {
  memory: OutcomeMemory;
  database: Database;
  close: () => void;
} {
  const database = openDatabase(path ?? defaultMemoryPath());
  return { memory: new OutcomeMemory(database), database, close: () => database.close() };
}
