// Opens the outcome-memory database file used by the CLI and the Action (default under the user's state directory).
import { homedir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "./database.js";
import { OutcomeMemory } from "./outcome-memory.js";

export function defaultMemoryPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.RFSN_DB) return env.RFSN_DB;
  const stateHome = env.XDG_STATE_HOME || join(homedir(), ".local", "state");
  return join(stateHome, "rfsn", "rfsn.db");
}

export function openOutcomeMemory(path?: string): { memory: OutcomeMemory; close: () => void } {
  const database = openDatabase(path ?? defaultMemoryPath());
  return { memory: new OutcomeMemory(database), close: () => database.close() };
}
