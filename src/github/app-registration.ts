// Reads what GitHub knows about the App itself (name, permissions, events, webhook URL) with a JWT signed by its key.
import { createSign } from "node:crypto";
import { Octokit } from "@octokit/rest";

export interface AppRegistration {
  id: number;
  slug: string;
  permissions: Record<string, string>;
  events: string[];
  /** The webhook URL in the App's settings, or null when GitHub would not say. */
  webhookUrl: string | null;
  /** GitHub's clock (the `date` header of its answer), in ms since the epoch, or null without the header. */
  serverTimeMs: number | null;
}

/** The JWT GitHub Apps authenticate as themselves with (RS256, valid 9 minutes, issued 60 s in the past for skew). */
export function appJwt(appId: number, privateKey: string, nowMs: number): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(nowMs / 1000);
  const unsigned = `${encode({ alg: "RS256", typ: "JWT" })}.${encode({ iat: now - 60, exp: now + 540, iss: appId })}`;
  const signature = createSign("RSA-SHA256").update(unsigned).sign(privateKey).toString("base64url");
  return `${unsigned}.${signature}`;
}

export async function readAppRegistration(options: {
  baseUrl: string;
  appId: number;
  privateKey: string;
  now?: () => number;
  fetch?: typeof fetch;
}): Promise<AppRegistration> {
  const octokit = new Octokit({
    baseUrl: options.baseUrl,
    auth: appJwt(options.appId, options.privateKey, (options.now ?? Date.now)()),
    ...(options.fetch ? { request: { fetch: options.fetch } } : {}),
  });
  const { data, headers } = await octokit.rest.apps.getAuthenticated();
  if (!data) throw new Error("GitHub answered GET /app without the App");
  let webhookUrl: string | null = null;
  try {
    webhookUrl = (await octokit.rest.apps.getWebhookConfigForApp()).data.url ?? null;
  } catch {
    webhookUrl = null;
  }
  const date = headers.date ? Date.parse(headers.date) : Number.NaN;
  return {
    id: data.id,
    slug: data.slug ?? String(data.id),
    permissions: { ...(data.permissions as Record<string, string>) },
    events: [...data.events],
    webhookUrl,
    serverTimeMs: Number.isNaN(date) ? null : date,
  };
}
