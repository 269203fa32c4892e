// Exchanges the one-time code of GitHub's App manifest flow for the new App's id, private key and webhook secret.
import { Octokit } from "@octokit/rest";

export interface RegisteredApp {
  id: number;
  slug: string;
  htmlUrl: string;
  privateKey: string;
  webhookSecret: string;
  clientId: string;
  clientSecret: string;
}

/** `POST /app-manifests/{code}/conversions` (no authentication: the code is the credential, valid once for an hour). */
export async function convertManifestCode(
  code: string,
  options: { baseUrl: string; fetch?: typeof fetch },
): Promise<RegisteredApp> {
  const octokit = new Octokit({
    baseUrl: options.baseUrl,
    ...(options.fetch ? { request: { fetch: options.fetch } } : {}),
  });
  const { data } = await octokit.rest.apps.createFromManifest({ code });
  if (!data.webhook_secret)
    throw new Error(
      "GitHub returned the new App without a webhook secret; set one in the App's settings and in WEBHOOK_SECRET",
    );
  return {
    id: data.id,
    slug: data.slug ?? String(data.id),
    htmlUrl: data.html_url,
    privateKey: data.pem,
    webhookSecret: data.webhook_secret,
    clientId: data.client_id,
    clientSecret: data.client_secret,
  };
}
