import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AttemptOutcome, timedFetch } from "../../src/github/timed-fetch.js";

describe("a GitHub client's fetch", () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === "/hang") return;
      response.writeHead(request.url === "/missing" ? 404 : 204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("reports each attempt's status, a timeout with the URL, and a refused connection", async () => {
    const outcomes: AttemptOutcome[] = [];
    const fetchWithin = timedFetch(150, (outcome) => outcomes.push(outcome));
    expect((await fetchWithin(`${base}/ok`)).status).toBe(204);
    expect((await fetchWithin(`${base}/missing`)).status).toBe(404);
    await expect(fetchWithin(`${base}/hang`)).rejects.toThrow(
      `GitHub did not answer within 150 ms (${base}/hang)`,
    );
    await expect(fetchWithin("http://127.0.0.1:1/refused")).rejects.toThrow();
    expect(outcomes).toEqual([204, 404, "timeout", "network_error"]);
  });

  it("lets the caller's own abort through as it is, not as a timeout", async () => {
    const outcomes: AttemptOutcome[] = [];
    const caller = new AbortController();
    const attempt = timedFetch(5_000, (outcome) => outcomes.push(outcome))(`${base}/hang`, {
      signal: caller.signal,
    });
    caller.abort();
    await expect(attempt).rejects.toMatchObject({ name: "AbortError" });
    expect(outcomes).toEqual(["network_error"]);
  });
});
