// Configures the Octokit that Probot hands to handlers: RFSN's request policy (retries, rate limits, optional write pacing), timed and counted calls.
import { ProbotOctokit } from "probot";
import { requestPolicy } from "../github/request-policy.js";
import { timedFetch } from "../github/timed-fetch.js";
import { metrics, statusClass } from "../observability/metrics.js";

export interface ProbotOctokitSettings {
  /** Space writes one second apart across all clients of the class; off: only GitHub's rate-limit answers slow us down. */
  paceWrites: boolean;
  /**
   * Abort one HTTP attempt after this long (default 10 s: a webhook must be answered within GitHub's 10 s); applies
   * when the client is built without its own `request.fetch`.
   */
  requestTimeoutMs?: number;
  /** Retries for 5xx answers, dropped connections and timeouts (default 3)… */
  retries?: number;
  /** …the n-th after n² times this (default 1000 ms). */
  retryBaseDelayMs?: number;
  /** Rate-limited requests are retried at most this many times (default 2)… */
  maxRateLimitRetries?: number;
  /** …and only when GitHub asks to wait at most this long (default 60 s). */
  maxRetryAfterSeconds?: number;
}

/** fetch that times each attempt out and counts it in `rfsn_github_api_calls_total{status}`. */
export function countingFetch(timeoutMs: number, base: typeof fetch = fetch): typeof fetch {
  return timedFetch(
    timeoutMs,
    (outcome) =>
      metrics.githubApiCalls.inc({ status: typeof outcome === "number" ? statusClass(outcome) : "error" }),
    base,
  );
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * ProbotOctokit with Probot's own retry and throttling plugins switched off (their Bottleneck scheduling cost
 * ~11 ms a call) and RFSN's request policy in their place. Every client of the returned class shares one write pace.
 */
export function probotOctokitClass(settings: ProbotOctokitSettings): typeof ProbotOctokit {
  const policy = requestPolicy({
    paceWrites: settings.paceWrites,
    retries: settings.retries,
    retryBaseDelayMs: settings.retryBaseDelayMs,
    maxRateLimitRetries: settings.maxRateLimitRetries,
    maxRetryAfterSeconds: settings.maxRetryAfterSeconds,
  });
  const timedFetch = countingFetch(settings.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS);
  // Applied on every construction (Probot rebuilds installation clients from partial options), so nothing turns
  // the plugins back on.
  const withPolicyDefaults = (options: Record<string, unknown>) => {
    const request = (options.request ?? {}) as Record<string, unknown>;
    return {
      ...options,
      retry: { enabled: false },
      throttle: { enabled: false },
      request: request.fetch ? request : { ...request, fetch: timedFetch },
    };
  };
  return ProbotOctokit.plugin(policy).defaults(withPolicyDefaults);
}
