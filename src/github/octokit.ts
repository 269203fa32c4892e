// Creates the Octokit client RFSN uses outside Probot: retries, rate-limit waits, write pacing, a request timeout and call counting.
import { Octokit } from "@octokit/rest";
import { requestPolicy } from "./request-policy.js";
import { timedFetch } from "./timed-fetch.js";

export type { Octokit } from "@octokit/rest";

/**
 * What the helpers in src/github need from a client: satisfied by `createOctokit()` and by Probot's `context.octokit`
 * (which lacks @octokit/rest's legacy `octokit.repos…` aliases).
 */
export type GitHubClient = Pick<Octokit, "rest" | "paginate">;

export interface GitHubLog {
  debug: (message: string) => void;
  info: (message: string) => void;
  warn: (message: string) => void;
  error: (message: string) => void;
}

export interface CreateOctokitOptions {
  token: string;
  /** Default: `GITHUB_API_URL`, else https://api.github.com. */
  baseUrl?: string;
  log?: GitHubLog;
  userAgent?: string;
  /** Abort one HTTP attempt after this long (default 30 s); the request policy may try again. */
  requestTimeoutMs?: number;
  /** Retries for 5xx answers, dropped connections and timeouts (default 3). */
  retries?: number;
  /** Retry n waits n² times this (default 1000 ms: 1 s, 4 s, 9 s). */
  retryBaseDelayMs?: number;
  /** Rate-limited requests are retried only when GitHub asks to wait at most this long (default 60 s)… */
  maxRetryAfterSeconds?: number;
  /** …and at most this many times (default 2). */
  maxRateLimitRetries?: number;
  /**
   * Default true: space this client's writes one second apart (three for notification-triggering writes) as
   * GitHub asks of integrations. Tests against the local fake turn it off.
   */
  paceWrites?: boolean;
  /** Called once per HTTP attempt with the status code, or "timeout" / "network_error". */
  onApiCall?: (status: string) => void;
}

const DEFAULT_TIMEOUT_MS = 30_000;

const silentLog: GitHubLog = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export function createOctokit(options: CreateOctokitOptions): Octokit {
  const octokit = new Octokit({
    auth: options.token,
    baseUrl: (options.baseUrl ?? process.env.GITHUB_API_URL ?? "https://api.github.com").replace(/\/+$/, ""),
    userAgent: options.userAgent ?? "rfsn",
    log: options.log ?? silentLog,
    request: {
      fetch: timedFetch(options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS, (outcome) =>
        options.onApiCall?.(String(outcome)),
      ),
    },
  });
  requestPolicy({
    retries: options.retries,
    retryBaseDelayMs: options.retryBaseDelayMs,
    maxRetryAfterSeconds: options.maxRetryAfterSeconds,
    maxRateLimitRetries: options.maxRateLimitRetries,
    paceWrites: options.paceWrites ?? true,
  })(octokit);
  return octokit;
}
