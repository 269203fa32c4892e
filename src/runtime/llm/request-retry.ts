// Retries an LLM request on 429 (honouring retry-after, capped), 5xx and dropped connections, with exponential backoff.
import { LlmRequestError } from "./llm-client.js";

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff delay; doubles on every retry. */
  baseDelayMs: number;
  /** Upper bound of any single wait, including a server's retry-after. */
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 20_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** The wait a server asked for via `retry-after-ms` or `retry-after` (seconds or an HTTP date), or undefined. */
export function retryAfterFromHeaders(
  headers: { get(name: string): string | null } | undefined,
  now = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const milliseconds = Number.parseFloat(headers.get("retry-after-ms") ?? "");
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  const value = headers.get("retry-after")?.trim();
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The delay before retry number `retry` (0-based) of a failure. */
export function retryDelayMs(error: LlmRequestError, retry: number, policy: RetryPolicy): number {
  const backoff = policy.baseDelayMs * 2 ** retry;
  const asked = error.retryAfterMs;
  return Math.min(policy.maxDelayMs, asked !== undefined ? asked : backoff);
}

/** Runs `attempt` until it succeeds, fails with a non-retryable error, or the retries run out; the error records the attempts. */
export async function withRetries<T>(attempt: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let retry = 0; ; retry += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof LlmRequestError)) throw error;
      error.attempts = retry + 1;
      if (!error.retryable || retry >= policy.maxRetries) throw error;
      await policy.sleep(retryDelayMs(error, retry, policy));
    }
  }
}
