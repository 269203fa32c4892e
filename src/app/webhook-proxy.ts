// Forwards webhooks from a proxy channel (WEBHOOK_PROXY_URL, e.g. smee.io) to the local App, for trials from a laptop.
import { SmeeClient } from "smee-client";
import type { Logger } from "../observability/logger.js";

export interface WebhookProxy {
  stop(): Promise<void>;
}

/** Connects to the channel's event stream and posts each delivery, headers and signature unchanged, to `target`. */
export async function startWebhookProxy(options: {
  source: string;
  target: string;
  logger: Logger;
}): Promise<WebhookProxy> {
  const client = new SmeeClient({
    source: options.source,
    target: options.target,
    logger: {
      info: (message: string) => options.logger.debug({ proxy: options.source }, message),
      error: (message: unknown) =>
        options.logger.warn({ proxy: options.source, err: message }, "webhook proxy error"),
    },
    maxConnectionTimeout: 15_000,
  });
  await client.start();
  return { stop: () => client.stop() };
}
