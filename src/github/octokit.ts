// Creates the Octokit client RFSN uses outside Probot: retries, rate-limit throttling, a request timeout and call counting.
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";

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
  /** Abort one HTTP attempt after this long (default 30 s); the retry plugin may try again. */
  requestTimeoutMs?: number;
  /** Retries for 5xx answers and timeouts (default 3). */
  retries?: number;
  /** Rate-limited requests are retried only when GitHub asks to wait at most this long (default 60 s)… */
  maxRetryAfterSeconds?: number;
  /** …and at most this many times (default 2). */
  maxRateLimitRetries?: number;
  /**
   * Default true: space writes one second apart (three for notification-triggering writes) as GitHub asks of
   * integrations. Tests against the local fake turn it off.
   */
  paceWrites?: boolean;
  /** Called once per HTTP attempt with the status code, or "timeout" / "network_error". */
  onApiCall?: (status: string) => void;
}

const DEFAULT_TIMEOUT_MS = 30_000;

const silentLog: GitHubLog = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

type BottleneckGroupLike = NonNullable<
  NonNullable<ConstructorParameters<typeof Octokit>[0]>["throttle"]
>["write"];

/** A stand-in for a Bottleneck group that runs every job at once (no spacing between writes). */
function unpacedGroup(): BottleneckGroupLike {
  const limiter = {
    schedule: (first: unknown, ...rest: unknown[]) => {
      if (typeof first === "function") return Promise.resolve(first(...rest));
      const [job, ...args] = rest;
      return Promise.resolve((job as (...values: unknown[]) => unknown)(...args));
    },
  };
  return { key: () => limiter } as unknown as BottleneckGroupLike;
}

function timedFetch(timeoutMs: number, onApiCall: ((status: string) => void) | undefined): typeof fetch {
  return async (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    try {
      const response = await fetch(input, { ...init, signal });
      onApiCall?.(String(response.status));
      return response;
    } catch (error) {
      onApiCall?.(timeout.aborted ? "timeout" : "network_error");
      if (timeout.aborted) {
        throw new Error(`GitHub did not answer within ${timeoutMs} ms (${String(input)})`, { cause: error });
      }
      throw error;
    }
  };
}

const RfsnOctokit = Octokit.plugin(retry, throttling);

export function createOctokit(options: CreateOctokitOptions): Octokit {
  const log = options.log ?? silentLog;
  const maxRetryAfter = options.maxRetryAfterSeconds ?? 60;
  const maxRateLimitRetries = options.maxRateLimitRetries ?? 2;
  const shouldRetry = (
    kind: string,
    retryAfter: number,
    method: string,
    url: string,
    retryCount: number,
  ): boolean => {
    const retrying = retryCount < maxRateLimitRetries && retryAfter <= maxRetryAfter;
    log.warn(
      `GitHub ${kind} rate limit on ${method} ${url}: ${retrying ? `retrying after ${retryAfter} s` : `giving up (retry-after ${retryAfter} s, attempt ${retryCount + 1})`}`,
    );
    return retrying;
  };
  const paced = options.paceWrites ?? true;
  return new RfsnOctokit({
    auth: options.token,
    baseUrl: (options.baseUrl ?? process.env.GITHUB_API_URL ?? "https://api.github.com").replace(/\/+$/, ""),
    userAgent: options.userAgent ?? "rfsn",
    log,
    request: {
      fetch: timedFetch(options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS, options.onApiCall),
    },
    retry: { retries: options.retries ?? 3 },
    throttle: {
      onRateLimit: (retryAfter, request, _octokit, retryCount) =>
        shouldRetry("primary", retryAfter, request.method, request.url, retryCount),
      onSecondaryRateLimit: (retryAfter, request, _octokit, retryCount) =>
        shouldRetry("secondary", retryAfter, request.method, request.url, retryCount),
      ...(paced ? {} : { write: unpacedGroup(), notifications: unpacedGroup() }),
    },
  });
}
