import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { metrics, metricsRegistry } from "../../src/observability/metrics.js";
import { PushgatewayError, pushgatewayUrl, pushMetrics } from "../../src/observability/pushgateway.js";

interface RecordedPush {
  method: string;
  url: string;
  contentType: string;
  body: string;
}

let pushes: RecordedPush[];
let status: number;
let base: string;
let close: () => Promise<void>;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

beforeEach(async () => {
  pushes = [];
  status = 200;
  const server = createServer(async (request, response) => {
    pushes.push({
      method: request.method ?? "",
      url: request.url ?? "",
      contentType: String(request.headers["content-type"]),
      body: await readBody(request),
    });
    response.writeHead(status).end(status >= 400 ? "pushed metrics are invalid or inconsistent" : "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(() => resolve()));
});

afterEach(async () => {
  await close();
  metricsRegistry.resetMetrics();
});

describe("pushing metrics to a Pushgateway", () => {
  it("PUTs the text exposition to /metrics/job/<job>/<label>/<value>", async () => {
    metrics.repairOutcomes.inc({ outcome: "not_fixed" });
    await pushMetrics({ url: `${base}/`, job: "rfsn_action", groupings: { run: "42" } });
    expect(pushes).toHaveLength(1);
    const [push] = pushes;
    expect(push?.method).toBe("PUT");
    expect(push?.url).toBe("/metrics/job/rfsn_action/run/42");
    expect(push?.contentType).toContain("text/plain");
    expect(push?.body).toContain('rfsn_repair_outcomes_total{outcome="not_fixed"} 1');
  });

  it("encodes values with a slash in base64 as the Pushgateway expects", async () => {
    await pushMetrics({ url: base, job: "rfsn", groupings: { repository: "acme/shop" } });
    expect(pushes[0]?.url).toBe(
      `/metrics/job/rfsn/repository@base64/${Buffer.from("acme/shop").toString("base64url")}`,
    );
    expect(pushgatewayUrl("http://x", "a b", { empty: "" })).toBe(
      "http://x/metrics/job/a%20b/empty@base64/=",
    );
  });

  it("refuses grouping labels that are not Prometheus label names", () => {
    expect(() => pushgatewayUrl("http://x", "job", { "bad-label": "v" })).toThrow(PushgatewayError);
  });

  it("reports the gateway's status and message when the push is refused", async () => {
    status = 400;
    const failure = pushMetrics({ url: base, job: "rfsn" });
    await expect(failure).rejects.toThrow(/answered 400: pushed metrics are invalid/);
    await expect(failure).rejects.toMatchObject({ status: 400 });
  });

  it("says which gateway could not be reached", async () => {
    await close();
    await expect(pushMetrics({ url: base, job: "rfsn", timeoutMs: 2000 })).rejects.toThrow(
      /could not reach the Pushgateway at http:\/\/127\.0\.0\.1/,
    );
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });

  it("uses the fetch implementation it is given", async () => {
    const seen: string[] = [];
    const fetchImpl: typeof fetch = async (input, init) => {
      seen.push(`${init?.method} ${String(input)}`);
      return new Response("", { status: 202 });
    };
    await pushMetrics({
      url: "http://gateway.invalid:9091",
      job: "rfsn",
      fetchImpl,
      render: async () => "x 1\n",
    });
    expect(seen).toEqual(["PUT http://gateway.invalid:9091/metrics/job/rfsn"]);
  });
});
