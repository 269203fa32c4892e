// Retry policy for flaky HTTP calls: which errors to retry and how long to wait between attempts.

export const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

export function isRetryable(error) {
  if (error?.code === "ECONNRESET" || error?.code === "ETIMEDOUT") return true;
  return RETRYABLE_STATUS.has(error?.status);
}

export function backoffDelay(attempt, { baseMs = 200, maxMs = 10_000 } = {}) {
  const delay = baseMs * 3 ** (attempt - 1);
  return Math.min(delay, maxMs);
}

export function retryAfterMs(headers) {
  const value = headers?.["retry-after"];
  if (value === undefined) return null;
  const seconds = Number(value);
  return Number.isFinite(seconds) ? seconds * 1000 : null;
}

export async function withRetry(operation, { attempts = 4, sleep, ...delays } = {}) {
  let lastError;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      return await operation(attempt);
    } catch (error) {
      lastError = error;
      if (!isRetryable(error) || attempt === attempts) break;
      await sleep(retryAfterMs(error.headers) ?? backoffDelay(attempt, delays));
    }
  }
  throw lastError;
}
