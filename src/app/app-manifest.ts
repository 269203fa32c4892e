// Turns app.yml into the GitHub App manifest the setup flow posts to GitHub, with this deployment's URLs filled in.
import { parse } from "yaml";

export const SETUP_CALLBACK_PATH = "/setup/callback";
export const WEBHOOK_PATH = "/api/github/webhooks";

/** app.yml cannot be read as a manifest. */
export class AppManifestError extends Error {
  constructor(message: string) {
    super(`app.yml: ${message}`);
    this.name = "AppManifestError";
  }
}

export interface ManifestUrls {
  /** Where GitHub sends the browser back after the App is created (this server). */
  setupBaseUrl: string;
  /** The public base URL GitHub delivers webhooks to (`/api/github/webhooks` is appended). */
  publicUrl: string;
  /** A webhook proxy channel (smee) that stands in for the public URL on a laptop. */
  webhookProxyUrl?: string;
}

/**
 * The manifest: app.yml's name, description, events and permissions, with `hook_attributes.url` and `redirect_url`
 * set from `urls` (app.yml's own webhook URL, if any, never wins: it cannot know where this deployment listens).
 */
export function appManifest(appYml: string, urls: ManifestUrls): Record<string, unknown> {
  const parsed: unknown = parse(appYml);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new AppManifestError("expected a mapping with name, default_events and default_permissions");
  }
  const manifest = { ...(parsed as Record<string, unknown>) };
  if (typeof manifest.name !== "string" || manifest.name.trim() === "")
    throw new AppManifestError("`name` is required (GitHub shows it on every pull request the App opens)");
  const hook = (
    typeof manifest.hook_attributes === "object" && manifest.hook_attributes !== null
      ? manifest.hook_attributes
      : {}
  ) as Record<string, unknown>;
  const webhookUrl = urls.webhookProxyUrl || `${urls.publicUrl.replace(/\/+$/, "")}${WEBHOOK_PATH}`;
  return {
    ...manifest,
    public: manifest.public === true,
    hook_attributes: { ...hook, url: webhookUrl, active: true },
    redirect_url: `${urls.setupBaseUrl.replace(/\/+$/, "")}${SETUP_CALLBACK_PATH}`,
  };
}
