// Pushes the metrics registry to a Prometheus Pushgateway (for short-lived Action runs that cannot be scraped).
import { metricsContentType, renderMetrics } from "./metrics.js";

export class PushgatewayError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "PushgatewayError";
  }
}

export interface PushMetricsOptions {
  /** Base URL of the Pushgateway, e.g. `http://pushgateway:9091`. */
  url: string;
  job: string;
  /** Extra grouping labels, appended as `/<label>/<value>` in order. */
  groupings?: Record<string, string>;
  fetchImpl?: typeof fetch;
  /** Defaults to the RFSN registry. */
  render?: () => Promise<string>;
  timeoutMs?: number;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** The Pushgateway URL for a job and its grouping labels (values are URL-encoded; `/` and empty use base64). */
export function pushgatewayUrl(base: string, job: string, groupings: Record<string, string> = {}): string {
  const segments = [`job${encodeValue(job)}`];
  for (const [label, value] of Object.entries(groupings)) {
    if (!LABEL_NAME.test(label))
      throw new PushgatewayError(`grouping label "${label}" is not a valid Prometheus label name`);
    segments.push(`${label}${encodeValue(value)}`);
  }
  return `${base.replace(/\/+$/, "")}/metrics/${segments.join("/")}`;
}

function encodeValue(value: string): string {
  if (value === "" || value.includes("/")) {
    const encoded = Buffer.from(value, "utf8").toString("base64url");
    return `@base64/${encoded === "" ? "=" : encoded}`;
  }
  return `/${encodeURIComponent(value)}`;
}

/** PUTs the text exposition of every metric, replacing the group's previous push. */
export async function pushMetrics(options: PushMetricsOptions): Promise<void> {
  const target = pushgatewayUrl(options.url, options.job, options.groupings);
  const body = await (options.render ?? renderMetrics)();
  const fetchImpl = options.fetchImpl ?? fetch;
  let response: Response;
  try {
    response = await fetchImpl(target, {
      method: "PUT",
      headers: { "content-type": metricsContentType },
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (error) {
    throw new PushgatewayError(
      `could not reach the Pushgateway at ${options.url}: ${(error as Error).message}`,
    );
  }
  if (!response.ok) {
    const detail = (await response.text().catch(() => "")).slice(0, 200);
    throw new PushgatewayError(
      `the Pushgateway at ${options.url} answered ${response.status}${detail ? `: ${detail}` : ""}`,
      response.status,
    );
  }
}
