// Reads and updates a `.env` file (KEY=value lines), keeping the settings already there and the file private.
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { parseEnv } from "node:util";

/** The file's settings, or none when it does not exist. */
export function readEnvFile(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  return parseEnv(readFileSync(path, "utf8")) as Record<string, string>;
}

/** A value as Node's .env parser reads it back: plain, single-quoted (literal), or double-quoted with `\n` for newlines. */
function quoted(key: string, value: string): string {
  if (/^[A-Za-z0-9_./:@+=-]*$/.test(value)) return value;
  if (!value.includes("\n") && !value.includes("'")) return `'${value}'`;
  if (value.includes('"') || value.includes("\\")) {
    throw new Error(
      `${key} cannot be written to a .env file (it holds quotes, backslashes and newlines together)`,
    );
  }
  return `"${value.replace(/\n/g, "\\n")}"`;
}

/** Writes `updates` over the file's settings (mode 0600: it holds the App's private key). */
export function updateEnvFile(path: string, updates: Record<string, string>): Record<string, string> {
  const merged = { ...readEnvFile(path), ...updates };
  const text = Object.entries(merged)
    .map(([key, value]) => `${key}=${quoted(key, value)}`)
    .join("\n");
  writeFileSync(path, `${text}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return merged;
}

/** Copies the file's settings into `env` where `env` has none (the environment always wins). */
export function applyEnvFile(path: string, env: NodeJS.ProcessEnv): string[] {
  const applied: string[] = [];
  for (const [key, value] of Object.entries(readEnvFile(path))) {
    if (env[key] === undefined || env[key] === "") {
      env[key] = value;
      applied.push(key);
    }
  }
  return applied;
}
