// How the request policy reads a failed GitHub request: which failures are worth another attempt, and how long to wait.
import { RequestError } from "@octokit/request-error";
import { describe, expect, it } from "vitest";
import { classifyFailure } from "../../src/github/request-policy.js";

const now = Date.parse("2026-01-01T00:00:00Z");
const request = { method: "GET" as const, url: "https://api.github.com/repos/o/r", headers: {} };

function answered(status: number, headers: Record<string, string>, message = "Error"): RequestError {
  return new RequestError(message, status, {
    request,
    response: { status, url: request.url, headers, data: { message } },
  });
}

describe("classifyFailure", () => {
  it("treats a failed connection as a network error and other exceptions as final", () => {
    const dropped = new RequestError("other side closed", 500, { request });
    expect(classifyFailure(dropped, now)).toEqual({ kind: "network-error", message: "other side closed" });
    expect(classifyFailure(new TypeError("x is not a function"), now)).toBeUndefined();
    expect(
      classifyFailure(Object.assign(new Error("aborted"), { name: "AbortError", status: 500 }), now),
    ).toBe(undefined);
  });

  it("retries 5xx answers but 501", () => {
    expect(classifyFailure(answered(503, {}), now)).toEqual({ kind: "server-error", status: 503 });
    expect(classifyFailure(answered(501, {}), now)).toBeUndefined();
  });

  it("reads retry-after as seconds or as an HTTP date", () => {
    expect(classifyFailure(answered(429, { "retry-after": "7" }), now)).toMatchObject({ waitSeconds: 7 });
    const date = new Date(now + 30_000).toUTCString();
    expect(classifyFailure(answered(403, { "retry-after": date }), now)).toEqual({
      kind: "secondary-rate-limit",
      status: 403,
      waitSeconds: 30,
    });
  });

  it("waits until a second after x-ratelimit-reset for a primary limit", () => {
    const reset = String(now / 1000 + 10);
    expect(
      classifyFailure(answered(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset }), now),
    ).toEqual({ kind: "primary-rate-limit", status: 403, waitSeconds: 11 });
  });

  it("calls a 'secondary rate limit' message secondary even when the quota also reads 0", () => {
    const error = answered(
      403,
      { "x-ratelimit-remaining": "0" },
      "You have exceeded a secondary rate limit.",
    );
    expect(classifyFailure(error, now)).toEqual({
      kind: "secondary-rate-limit",
      status: 403,
      waitSeconds: 60,
    });
  });

  it("does not retry a 403 that is no rate limit", () => {
    expect(classifyFailure(answered(403, {}, "Resource not accessible by integration"), now)).toBeUndefined();
  });
});
