// An Octokit plugin that retries failed GitHub requests, honours GitHub's rate limits and can pace writes, with no timer on the happy path.
import { setTimeout as delay } from "node:timers/promises";
import type { Octokit } from "@octokit/rest";
import { pacingClass, WritePacer } from "./write-pacing.js";

export interface RequestPolicyOptions {
  /** Retries for 5xx answers (501 aside), dropped connections and timed-out attempts (default 3). */
  retries?: number;
  /** Retry n of a server error waits n² times this (default 1000 ms: 1 s, 4 s, 9 s). */
  retryBaseDelayMs?: number;
  /** Rate-limited requests are retried at most this many times (default 2)… */
  maxRateLimitRetries?: number;
  /** …and only when GitHub asks to wait at most this long (default 60 s). */
  maxRetryAfterSeconds?: number;
  /**
   * Space writes 1 s apart and notification-triggering writes 3 s apart (default false). Every client that uses
   * one `requestPolicy(…)` plugin shares one pace.
   */
  paceWrites?: boolean;
  /** Called on every retry-or-give-up decision, after the warning is logged. */
  onDecision?: (decision: RetryDecision) => void;
  /** Wall clock for `x-ratelimit-reset` (default Date.now). */
  now?: () => number;
  /** Waits between attempts (default: a timer that the request's own abort signal cancels). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Why an attempt failed, when the failure may be worth another attempt. */
export type RequestFailure =
  | { kind: "server-error"; status: number }
  | { kind: "network-error"; message: string }
  | { kind: "primary-rate-limit" | "secondary-rate-limit"; status: number; waitSeconds: number };

export interface RetryDecision {
  failure: RequestFailure;
  method: string;
  url: string;
  /** The attempt that failed, 1 for the first. */
  attempt: number;
  retrying: boolean;
  /** How long the policy waits before the next attempt (0 when giving up). */
  waitMs: number;
}

/** GitHub: "If you exceed a secondary rate limit … otherwise, wait for at least one minute before retrying." */
const DEFAULT_RATE_LIMIT_WAIT_SECONDS = 60;

type HeaderValue = string | number | undefined;

/** The parts of an @octokit/request error the policy reads: the failure is untyped at this boundary. */
interface FailedAttempt {
  name?: unknown;
  status?: unknown;
  message?: unknown;
  response?: { headers?: Record<string, HeaderValue>; data?: unknown };
}

function header(headers: Record<string, HeaderValue> | undefined, name: string): string | undefined {
  const value = headers?.[name];
  return value === undefined ? undefined : String(value);
}

/** `retry-after` in whole seconds (GitHub sends seconds; an HTTP date is accepted too). */
function retryAfterSeconds(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - nowMs) / 1000));
}

/** Seconds until `x-ratelimit-reset` (epoch seconds), plus one so the retry lands after the reset despite clock skew. */
function secondsUntilReset(value: string | undefined, nowMs: number): number {
  const reset = Number(value);
  if (value === undefined || !Number.isFinite(reset)) return DEFAULT_RATE_LIMIT_WAIT_SECONDS;
  const remainingMs = reset * 1000 - nowMs;
  return remainingMs <= 0 ? 0 : Math.ceil(remainingMs / 1000) + 1;
}

function responseMessage(data: unknown): string {
  if (typeof data === "string") return data;
  if (typeof data === "object" && data !== null && "message" in data) return String(data.message);
  return "";
}

/**
 * Reads a failed attempt per GitHub's rate-limit rules: `x-ratelimit-remaining: 0` is the primary limit (wait
 * for `x-ratelimit-reset`); a `retry-after`, a "secondary rate limit" message or any 429 is a secondary limit
 * (wait `retry-after`, else a minute); 5xx other than 501 and failures without an answer are transient;
 * everything else (other 4xx, cancelled requests, errors not from HTTP) is final and yields undefined.
 */
export function classifyFailure(error: unknown, nowMs: number): RequestFailure | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const failed = error as FailedAttempt;
  if (failed.name === "AbortError") return undefined;
  const message = typeof failed.message === "string" ? failed.message : "";
  if (failed.response === undefined) {
    // @octokit/request turns a failed fetch (refused, reset, timed out) into an HttpError without a response.
    return failed.name === "HttpError" ? { kind: "network-error", message } : undefined;
  }
  const status = typeof failed.status === "number" ? failed.status : 0;
  const headers = failed.response.headers;
  if (status === 403 || status === 429) {
    const secondary = /secondary rate limit|abuse detection/i.test(
      `${message} ${responseMessage(failed.response.data)}`,
    );
    const askedWait = retryAfterSeconds(header(headers, "retry-after"), nowMs);
    if (header(headers, "x-ratelimit-remaining") === "0" && !secondary) {
      const waitSeconds = askedWait ?? secondsUntilReset(header(headers, "x-ratelimit-reset"), nowMs);
      return { kind: "primary-rate-limit", status, waitSeconds };
    }
    if (askedWait !== undefined || secondary || status === 429) {
      return {
        kind: "secondary-rate-limit",
        status,
        waitSeconds: askedWait ?? DEFAULT_RATE_LIMIT_WAIT_SECONDS,
      };
    }
    return undefined;
  }
  return status >= 500 && status !== 501 ? { kind: "server-error", status } : undefined;
}

function isRateLimit(failure: RequestFailure): failure is Extract<RequestFailure, { waitSeconds: number }> {
  return failure.kind === "primary-rate-limit" || failure.kind === "secondary-rate-limit";
}

/** The warning logged for a decision; rate-limit lines keep the wording operators already search for. */
export function describeDecision(decision: RetryDecision): string {
  const { failure, method, url, attempt, retrying, waitMs } = decision;
  if (isRateLimit(failure)) {
    const kind = failure.kind === "primary-rate-limit" ? "primary" : "secondary";
    const outcome = retrying
      ? `retrying after ${failure.waitSeconds} s`
      : `giving up (retry-after ${failure.waitSeconds} s, attempt ${attempt})`;
    return `GitHub ${kind} rate limit on ${method} ${url}: ${outcome}`;
  }
  const what =
    failure.kind === "server-error"
      ? `GitHub answered ${failure.status} to ${method} ${url}`
      : `GitHub request ${method} ${url} failed (${failure.message})`;
  const outcome = retrying
    ? `retrying after ${waitMs / 1000} s`
    : `giving up after ${attempt} attempt${attempt === 1 ? "" : "s"}`;
  return `${what}: ${outcome}`;
}

interface ResolvedPolicy {
  retries: number;
  retryBaseDelayMs: number;
  maxRateLimitRetries: number;
  maxRetryAfterSeconds: number;
  pacer: WritePacer | undefined;
  onDecision: ((decision: RetryDecision) => void) | undefined;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const abortableSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  delay(ms, undefined, signal ? { signal } : undefined);

function resolvePolicy(options: RequestPolicyOptions): ResolvedPolicy {
  return {
    retries: options.retries ?? 3,
    retryBaseDelayMs: options.retryBaseDelayMs ?? 1000,
    maxRateLimitRetries: options.maxRateLimitRetries ?? 2,
    maxRetryAfterSeconds: options.maxRetryAfterSeconds ?? 60,
    pacer: options.paceWrites ? new WritePacer() : undefined,
    onDecision: options.onDecision,
    now: options.now ?? Date.now,
    sleep: options.sleep ?? abortableSleep,
  };
}

/** What a client needs for the policy to wrap its requests: Octokit's hook collection and logger. */
export type PolicyHost = Pick<Octokit, "hook" | "log">;

/** The Octokit plugin: every client it is applied to retries and paces as `options` say. */
export function requestPolicy(options: RequestPolicyOptions = {}): (octokit: PolicyHost) => void {
  const policy = resolvePolicy(options);
  return (octokit) => {
    octokit.hook.wrap("request", async (request, endpoint) => {
      const pacing = policy.pacer ? pacingClass(endpoint.method, endpoint.url, endpoint.baseUrl) : "unpaced";
      const signal = endpoint.request?.signal ?? undefined;
      let serverRetries = 0;
      let rateLimitRetries = 0;
      for (let attempt = 1; ; attempt += 1) {
        const pace = policy.pacer?.reserve(pacing) ?? 0;
        if (pace > 0) await policy.sleep(pace, signal);
        try {
          return await request(endpoint);
        } catch (error) {
          const failure = signal?.aborted ? undefined : classifyFailure(error, policy.now());
          if (failure === undefined) throw error;
          const rateLimited = isRateLimit(failure);
          const retrying = rateLimited
            ? rateLimitRetries < policy.maxRateLimitRetries &&
              failure.waitSeconds <= policy.maxRetryAfterSeconds
            : serverRetries < policy.retries;
          const waitMs = !retrying
            ? 0
            : rateLimited
              ? failure.waitSeconds * 1000
              : (serverRetries + 1) ** 2 * policy.retryBaseDelayMs;
          const decision = { failure, method: endpoint.method, url: endpoint.url, attempt, retrying, waitMs };
          octokit.log.warn(describeDecision(decision));
          policy.onDecision?.(decision);
          if (!retrying) throw error;
          if (rateLimited) rateLimitRetries += 1;
          else serverRetries += 1;
          if (waitMs > 0) await policy.sleep(waitMs, signal);
        }
      }
    });
  };
}
