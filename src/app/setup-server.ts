// The first-run setup flow of `rfsn serve`: registers the GitHub App from app.yml (manifest flow) and writes `.env`.
import { randomBytes, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { convertManifestCode, type RegisteredApp } from "../github/app-manifest-conversion.js";
import type { Logger } from "../observability/logger.js";
import { appManifest, SETUP_CALLBACK_PATH, WEBHOOK_PATH } from "./app-manifest.js";
import { updateEnvFile } from "./env-file.js";

export interface SetupServerOptions {
  port: number;
  host: string;
  /** Text of app.yml. */
  appYml: string;
  /** Public base URL GitHub delivers webhooks to (RFSN_PUBLIC_URL); default: the URL the browser opened. */
  publicUrl?: string;
  /** Webhook proxy channel for a laptop (WEBHOOK_PROXY_URL); replaces the public URL in the manifest. */
  webhookProxyUrl?: string;
  /** https://github.com, or the GitHub Enterprise Server's web root. */
  githubWebUrl: string;
  /** REST API root the code is converted at. */
  githubApiUrl: string;
  /** Register the App under this organization (GH_ORG) instead of the signed-in user. */
  organization?: string;
  envFile: string;
  logger: Logger;
  fetch?: typeof fetch;
}

export interface SetupServer {
  url: string;
  /** The address to open: the front page with the one-time setup token printed to the console only. */
  setupUrl: string;
  port: number;
  /** Resolves once the App is registered and `.env` is written. */
  completed: Promise<RegisteredApp>;
  close(): Promise<void>;
}

const HOST_HEADER = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-fA-F:]+\](:\d{1,5})?$/;

/** app.yml shipped next to RFSN (source tree, compiled tree, container image). */
export function loadAppYml(from: string = import.meta.url): string {
  for (const candidate of ["../../app.yml", "../../../app.yml"]) {
    try {
      return readFileSync(new URL(candidate, from), "utf8");
    } catch {
      // try the next layout
    }
  }
  throw new Error(`cannot find app.yml next to ${from}; set RFSN_APP_YML to its path`);
}

function html(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${html(title)}</title></head><body style="font-family:system-ui;max-width:40em;margin:3em auto">${body}</body></html>`;
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Starts the setup server; the caller waits on `completed`, then closes it and starts the App with the new settings. */
export async function startSetupServer(options: SetupServerOptions): Promise<SetupServer> {
  // Whoever can reach this port cannot register an App of theirs as this deployment's: the front page needs the
  // token printed to the console, and the callback needs the state that only that page shows.
  const token = randomBytes(16).toString("hex");
  const state = randomBytes(16).toString("hex");
  let finished = false;
  let resolveCompleted: (app: RegisteredApp) => void = () => {};
  const completed = new Promise<RegisteredApp>((resolve) => {
    resolveCompleted = resolve;
  });

  function baseUrlOf(request: IncomingMessage): string | null {
    const host = request.headers.host ?? "";
    return HOST_HEADER.test(host) ? `http://${host}` : null;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://setup.invalid");
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
      response.writeHead(status, { "content-type": type, "cache-control": "no-store", ...headers }).end(body);
    };
    if (request.method === "GET" && url.pathname === "/health") {
      send(200, "application/json", JSON.stringify({ status: "setup" }));
      return;
    }
    if (url.pathname === WEBHOOK_PATH) {
      // GitHub retries a delivery that failed; nothing can be verified before the App has a secret.
      send(503, "text/plain", "RFSN is not set up yet: finish the setup flow, then webhooks are accepted");
      return;
    }
    if (request.method === "GET" && url.pathname === "/") {
      if (!sameSecret(token, url.searchParams.get("token") ?? "")) {
        send(403, "text/plain", "open the address rfsn serve printed (it carries the setup token)");
        return;
      }
      const setupBaseUrl = baseUrlOf(request);
      if (!setupBaseUrl) {
        send(400, "text/plain", "bad Host header");
        return;
      }
      if (finished) {
        send(
          200,
          "text/html",
          page("RFSN", "<p>The App is registered and RFSN is starting. Reload in a moment.</p>"),
        );
        return;
      }
      const manifest = appManifest(options.appYml, {
        setupBaseUrl,
        publicUrl: options.publicUrl || setupBaseUrl,
        ...(options.webhookProxyUrl ? { webhookProxyUrl: options.webhookProxyUrl } : {}),
      });
      const owner = options.organization ? `/organizations/${encodeURIComponent(options.organization)}` : "";
      const action = `${options.githubWebUrl.replace(/\/+$/, "")}${owner}/settings/apps/new?state=${state}`;
      const hook = (manifest.hook_attributes as { url: string }).url;
      send(
        200,
        "text/html",
        page(
          "Set up RFSN",
          `<h1>Set up RFSN</h1><p>This registers a GitHub App named <b>${html(String(manifest.name))}</b> from app.yml with the permissions RFSN needs (docs/app-permissions.md), then writes its ID, private key and webhook secret to <code>${html(options.envFile)}</code>.</p><p>Webhooks will go to <code>${html(hook)}</code>. ${options.publicUrl || options.webhookProxyUrl ? "" : "That is the address this page was opened at: set RFSN_PUBLIC_URL (the HTTPS address GitHub can reach) or WEBHOOK_PROXY_URL (a smee.io channel) first if GitHub cannot reach it."}</p><form action="${html(action)}" method="post"><input type="hidden" name="manifest" value="${html(JSON.stringify(manifest))}"><button type="submit">Create the GitHub App on ${html(options.githubWebUrl)}</button></form>`,
        ),
      );
      return;
    }
    if (request.method === "GET" && url.pathname === SETUP_CALLBACK_PATH) {
      const code = url.searchParams.get("code") ?? "";
      const givenState = url.searchParams.get("state") ?? "";
      if (!sameSecret(state, givenState)) {
        options.logger.warn("setup callback with a wrong state: ignored");
        send(403, "text/plain", "state does not match: start again from this server's front page");
        return;
      }
      if (finished) {
        send(410, "text/plain", "the App is already registered");
        return;
      }
      if (!/^[A-Za-z0-9_-]{1,200}$/.test(code)) {
        send(400, "text/plain", "code missing or invalid");
        return;
      }
      let app: RegisteredApp;
      try {
        app = await convertManifestCode(code, {
          baseUrl: options.githubApiUrl,
          ...(options.fetch ? { fetch: options.fetch } : {}),
        });
      } catch (error) {
        options.logger.error({ err: error }, "the App manifest code could not be converted");
        send(
          502,
          "text/plain",
          `GitHub did not convert the code (${(error as Error).message}); codes are valid once for an hour: start again from this server's front page`,
        );
        return;
      }
      finished = true;
      updateEnvFile(options.envFile, {
        APP_ID: String(app.id),
        PRIVATE_KEY: app.privateKey,
        WEBHOOK_SECRET: app.webhookSecret,
        GITHUB_CLIENT_ID: app.clientId,
        GITHUB_CLIENT_SECRET: app.clientSecret,
        ...(options.webhookProxyUrl ? { WEBHOOK_PROXY_URL: options.webhookProxyUrl } : {}),
      });
      options.logger.info(
        { appId: app.id, slug: app.slug, envFile: options.envFile },
        "registered the GitHub App",
      );
      send(302, "text/plain", `Found. Redirecting to ${app.htmlUrl}/installations/new`, {
        location: `${app.htmlUrl}/installations/new`,
      });
      resolveCompleted(app);
      return;
    }
    send(404, "text/plain", "not found: open / to set up RFSN");
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.logger.error({ err: error }, "setup request failed");
      if (!response.headersSent)
        response.writeHead(500, { "content-type": "text/plain" }).end("setup failed");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = options.host === "0.0.0.0" || options.host === "::" ? "localhost" : options.host;
  return {
    url: `http://${shownHost}:${port}`,
    setupUrl: `http://${shownHost}:${port}/?token=${token}`,
    port,
    completed,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
