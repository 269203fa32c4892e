// fetch for GitHub clients: every attempt times out on its own and reports how it ended.

/** How one attempt ended: the HTTP status, or why there was none. */
export type AttemptOutcome = number | "timeout" | "network_error";

/**
 * fetch that aborts an attempt after `timeoutMs` (failing with an error that names the URL) and tells `onAttempt`
 * how each attempt ended.
 */
export function timedFetch(
  timeoutMs: number,
  onAttempt?: (outcome: AttemptOutcome) => void,
  base: typeof fetch = fetch,
): typeof fetch {
  return async (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    try {
      const response = await base(input, { ...init, signal });
      onAttempt?.(response.status);
      return response;
    } catch (error) {
      onAttempt?.(timeout.aborted ? "timeout" : "network_error");
      if (timeout.aborted) {
        throw new Error(`GitHub did not answer within ${timeoutMs} ms (${String(input)})`, { cause: error });
      }
      throw error;
    }
  };
}
