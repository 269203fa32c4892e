// Configures the Octokit that Probot hands to handlers: bounded rate-limit retries, optional write pacing, timed and counted calls.
import { ProbotOctokit } from "probot";
import { metrics, statusClass } from "../observability/metrics.js";

export interface ProbotOctokitSettings {
  /** Space writes one second apart process-wide (plugin-throttling's default); off: only GitHub's rate-limit answers slow us down. */
  paceWrites: boolean;
  /** Abort one HTTP attempt after this long (default 10 s: a webhook must be answered within GitHub's 10 s). */
  requestTimeoutMs?: number;
  maxRateLimitRetries?: number;
  maxRetryAfterSeconds?: number;
}

interface Schedulable {
  schedule: (...args: unknown[]) => Promise<unknown>;
}

/** A stand-in for a Bottleneck group whose limiter runs each job immediately. */
function immediateGroup(): { key: () => Schedulable } {
  const limiter: Schedulable = {
    schedule: (...args: unknown[]) => {
      const jobIndex = args.findIndex((arg) => typeof arg === "function");
      const job = args[jobIndex] as (...values: unknown[]) => unknown;
      return Promise.resolve(job(...args.slice(jobIndex + 1)));
    },
  };
  return { key: () => limiter };
}

/** fetch that times each attempt out and counts it in `rfsn_github_api_calls_total{status}`. */
export function countingFetch(timeoutMs: number, base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    try {
      const response = await base(input, { ...init, signal });
      metrics.githubApiCalls.inc({ status: statusClass(response.status) });
      return response;
    } catch (error) {
      metrics.githubApiCalls.inc({ status: "error" });
      throw error;
    }
  };
}

export function probotOctokitClass(settings: ProbotOctokitSettings): typeof ProbotOctokit {
  const maxRetries = settings.maxRateLimitRetries ?? 2;
  const maxWait = settings.maxRetryAfterSeconds ?? 60;
  const retryRateLimit = (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) =>
    retryCount < maxRetries && retryAfter <= maxWait;
  const throttle = {
    onRateLimit: retryRateLimit,
    onSecondaryRateLimit: retryRateLimit,
    // The webhook queue already bounds how many handlers (hence requests) run at once; Bottleneck's own
    // concurrency gate only added scheduling latency to every call. Rate-limit answers are still retried.
    global: immediateGroup(),
    ...(settings.paceWrites ? {} : { write: immediateGroup(), notifications: immediateGroup() }),
  };
  // Applied on every construction (Probot rebuilds installation clients from partial options), so nothing drops it.
  // plugin-throttling accepts any object with Bottleneck's `key().schedule()` for its groups: typed boundary.
  const withThrottle = (options: Record<string, unknown>) => {
    const given = (options.throttle ?? {}) as Record<string, unknown>;
    return { ...options, throttle: given.enabled === false ? given : { ...given, ...throttle } };
  };
  return ProbotOctokit.defaults(withThrottle as unknown as Record<string, unknown>) as typeof ProbotOctokit;
}
