// Reads the App's settings from environment variables, reporting every missing or invalid value at once.
import { readFileSync } from "node:fs";

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type AppLogLevel = (typeof LOG_LEVELS)[number];

export interface AppEnvironment {
  appId: number;
  /** PEM text of the App's private key. */
  privateKey: string;
  webhookSecret: string;
  /** SQLite file (RFSN_DB). */
  databasePath: string;
  logLevel: AppLogLevel;
  port: number;
  host: string;
  /** REST API root: https://api.github.com, or `<GHE_PROTOCOL>://<GHE_HOST>/api/v3`. */
  githubBaseUrl: string;
  /** Requests left `accepted` this long are failed on startup (RFSN_STALE_MINUTES, default 15). */
  staleAfterMinutes: number;
  /** Space GitHub writes one second apart (RFSN_PACE_WRITES=true); off by default, rate-limit answers are still honoured. */
  paceWrites: boolean;
  /** The LLM relay for App-mode repair runs; null when RFSN_LLM_API_KEY is unset (runners then get no LLM from the App). */
  llmRelay: AppLlmRelayEnvironment | null;
  /** Most pull requests RFSN opens per installation in an hour (RFSN_MAX_PULL_REQUESTS_PER_HOUR, default 20). */
  maxPullRequestsPerHour: number;
}

export interface AppLlmRelayEnvironment {
  /** The App's own key (RFSN_LLM_API_KEY); never leaves the App. */
  apiKey: string;
  /** OpenAI-compatible endpoint (RFSN_LLM_BASE_URL, default https://api.openai.com/v1). */
  baseUrl: string;
  /** RFSN_LLM_MODEL (default gpt-4o-mini). */
  model: string;
  /** Per installation and UTC day: RFSN_LLM_DAILY_CALLS (500), RFSN_LLM_DAILY_TOKENS (2000000), RFSN_LLM_DAILY_DOLLARS (5). */
  callsPerDay: number;
  tokensPerDay: number;
  dollarsPerDay: number;
  /** Issuer of the runners' OIDC tokens (RFSN_OIDC_ISSUER, default GitHub's; GHES: `https://<host>/_services/token`). */
  oidcIssuer: string;
  /** Audience the tokens must carry (RFSN_OIDC_AUDIENCE, default rfsn). */
  oidcAudience: string;
}

/** One or more settings are missing or invalid; `problems` has one sentence per variable. */
export class AppEnvironmentError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `rfsn serve cannot start:\n${problems.map((problem) => `  - ${problem}`).join("\n")}\nSee .env.example for every setting.`,
    );
    this.name = "AppEnvironmentError";
  }
}

export interface ReadAppEnvironmentOptions {
  readFile?: (path: string) => string;
}

const PEM_HEADER = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

function text(env: NodeJS.ProcessEnv, name: string): string {
  return (env[name] ?? "").trim();
}

/** PRIVATE_KEY may hold the PEM with real or `\n`-escaped newlines, or the PEM base64-encoded on one line. */
function decodePrivateKey(raw: string): string | null {
  const unescaped = raw.replace(/\\n/g, "\n");
  if (PEM_HEADER.test(unescaped)) return unescaped.endsWith("\n") ? unescaped : `${unescaped}\n`;
  if (/^[A-Za-z0-9+/=\s]+$/.test(raw)) {
    const decoded = Buffer.from(raw, "base64").toString("utf8");
    if (PEM_HEADER.test(decoded)) return decoded;
  }
  return null;
}

function readPrivateKey(
  env: NodeJS.ProcessEnv,
  readFile: (path: string) => string,
  problems: string[],
): string {
  const inline = text(env, "PRIVATE_KEY");
  const path = text(env, "PRIVATE_KEY_PATH");
  if (inline) {
    const key = decodePrivateKey(inline);
    if (key) return key;
    problems.push(
      "PRIVATE_KEY is not a PEM private key (expected `-----BEGIN RSA PRIVATE KEY-----`, or that text base64-encoded)",
    );
    return "";
  }
  if (path) {
    let content: string;
    try {
      content = readFile(path);
    } catch (error) {
      problems.push(
        `PRIVATE_KEY_PATH ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); point it at the .pem file downloaded from the App settings`,
      );
      return "";
    }
    if (!PEM_HEADER.test(content)) {
      problems.push(`PRIVATE_KEY_PATH ${path} does not contain a PEM private key`);
      return "";
    }
    return content;
  }
  problems.push(
    "PRIVATE_KEY or PRIVATE_KEY_PATH is required: the App's private key from its settings page on GitHub",
  );
  return "";
}

function integer(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const raw = text(env, name);
  if (raw === "") return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    return fallback;
  }
  return Number(raw);
}

function githubBaseUrl(env: NodeJS.ProcessEnv, problems: string[]): string {
  const host = text(env, "GHE_HOST");
  const protocol = (text(env, "GHE_PROTOCOL") || "https").toLowerCase();
  if (protocol !== "http" && protocol !== "https") {
    problems.push(`GHE_PROTOCOL must be http or https, got "${protocol}"`);
  }
  if (!host) return "https://api.github.com";
  if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host)) {
    problems.push(
      `GHE_HOST must be a host name with an optional port (e.g. github.example.com), without protocol or path; got "${host}"`,
    );
    return "https://api.github.com";
  }
  return `${protocol}://${host}/api/v3`;
}

/** Builds the App settings from `env`; throws AppEnvironmentError listing every problem found. */
export function readAppEnvironment(
  env: NodeJS.ProcessEnv,
  options: ReadAppEnvironmentOptions = {},
): AppEnvironment {
  const readFile = options.readFile ?? ((path: string) => readFileSync(path, "utf8"));
  const problems: string[] = [];

  const appIdText = text(env, "APP_ID");
  let appId = 0;
  if (!appIdText) problems.push("APP_ID is required: the numeric App ID shown on the App's settings page");
  else if (!/^\d+$/.test(appIdText) || Number(appIdText) <= 0)
    problems.push(`APP_ID must be a positive whole number, got "${appIdText}"`);
  else appId = Number(appIdText);

  const privateKey = readPrivateKey(env, readFile, problems);

  const webhookSecret = env.WEBHOOK_SECRET ?? "";
  if (webhookSecret.trim() === "") {
    problems.push(
      "WEBHOOK_SECRET is required: the secret set in the App's webhook settings (webhooks are verified with it)",
    );
  }

  const logLevelText = (text(env, "LOG_LEVEL") || "info").toLowerCase();
  const logLevel = (LOG_LEVELS as readonly string[]).includes(logLevelText)
    ? (logLevelText as AppLogLevel)
    : "info";
  if (logLevel !== logLevelText)
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got "${logLevelText}"`);

  const port = integer(env, "PORT", 3000, 0, 65_535, problems);
  const staleAfterMinutes = integer(env, "RFSN_STALE_MINUTES", 15, 1, 10_080, problems);
  const maxPullRequestsPerHour = integer(env, "RFSN_MAX_PULL_REQUESTS_PER_HOUR", 20, 1, 10_000, problems);
  const paceText = (text(env, "RFSN_PACE_WRITES") || "false").toLowerCase();
  if (paceText !== "true" && paceText !== "false")
    problems.push(`RFSN_PACE_WRITES must be true or false, got "${paceText}"`);
  const baseUrl = githubBaseUrl(env, problems);
  const llmRelay = readLlmRelay(env, problems);

  if (problems.length > 0) throw new AppEnvironmentError(problems);
  return {
    appId,
    privateKey,
    webhookSecret,
    databasePath: text(env, "RFSN_DB") || "rfsn-app.db",
    logLevel,
    port,
    host: text(env, "HOST") || "0.0.0.0",
    githubBaseUrl: baseUrl,
    staleAfterMinutes,
    paceWrites: paceText === "true",
    llmRelay,
    maxPullRequestsPerHour,
  };
}

function httpUrl(env: NodeJS.ProcessEnv, name: string, fallback: string, problems: string[]): string {
  const raw = text(env, name) || fallback;
  try {
    const url = new URL(raw);
    if (url.protocol === "http:" || url.protocol === "https:") return raw.replace(/\/+$/, "");
  } catch {
    // reported below
  }
  problems.push(`${name} must be an http(s) URL, got "${raw}"`);
  return fallback;
}

function readLlmRelay(env: NodeJS.ProcessEnv, problems: string[]): AppLlmRelayEnvironment | null {
  const apiKey = text(env, "RFSN_LLM_API_KEY");
  if (!apiKey) return null;
  const dollarsText = text(env, "RFSN_LLM_DAILY_DOLLARS") || "5";
  const dollarsPerDay = Number(dollarsText);
  if (!/^\d+(\.\d+)?$/.test(dollarsText))
    problems.push(
      `RFSN_LLM_DAILY_DOLLARS must be a number of dollars such as 5 or 0.5, got "${dollarsText}"`,
    );
  return {
    apiKey,
    baseUrl: httpUrl(env, "RFSN_LLM_BASE_URL", "https://api.openai.com/v1", problems),
    model: text(env, "RFSN_LLM_MODEL") || "gpt-4o-mini",
    callsPerDay: integer(env, "RFSN_LLM_DAILY_CALLS", 500, 0, 10_000_000, problems),
    tokensPerDay: integer(env, "RFSN_LLM_DAILY_TOKENS", 2_000_000, 0, 1_000_000_000_000, problems),
    dollarsPerDay: Number.isFinite(dollarsPerDay) ? dollarsPerDay : 5,
    oidcIssuer: httpUrl(env, "RFSN_OIDC_ISSUER", "https://token.actions.githubusercontent.com", problems),
    oidcAudience: text(env, "RFSN_OIDC_AUDIENCE") || "rfsn",
  };
}
