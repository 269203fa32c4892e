// `rfsn serve` without credentials: the manifest setup flow against the fake GitHub, a written .env, then the App verifying signed webhooks (also through WEBHOOK_PROXY_URL).
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { AppServer } from "../../src/app/app-server.js";
import { readAppEnvironment } from "../../src/app/environment.js";
import { runServeCommand } from "../../src/cli/commands/serve.js";
import { postWebhook, sign } from "../fixtures/app/webhook-payloads.js";
import { type FakeGitHub, startFakeGitHub } from "../helpers/fake-github/index.js";

const ROOT = join(import.meta.dirname, "../..");
const APP_YML = parse(readFileSync(join(ROOT, "app.yml"), "utf8")) as Record<string, unknown>;

let fake: FakeGitHub;
let workspace: string;

beforeAll(async () => {
  fake = await startFakeGitHub();
  workspace = mkdtempSync(join(tmpdir(), "rfsn-setup-"));
});

afterAll(async () => {
  await fake.close();
  rmSync(workspace, { recursive: true, force: true });
});

afterEach(() => fake.assertNoViolations());

function unescapeHtml(text: string): string {
  return text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

/** Starts `rfsn serve` in setup mode; resolves with the setup address and handles to the rest of its life. */
function startServe(cwd: string, extraEnv: Record<string, string> = {}) {
  let setupUrl: (url: string) => void = () => {};
  let appServer: (server: AppServer) => void = () => {};
  let stop: (signal: string) => void = () => {};
  const stopped = new Promise<string>((resolve) => {
    stop = resolve;
  });
  const output: string[] = [];
  const env: NodeJS.ProcessEnv = {
    GHE_HOST: fake.host,
    GHE_PROTOCOL: "http",
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    RFSN_DB: join(cwd, "app.db"),
    RFSN_APP_YML: join(ROOT, "app.yml"),
    ...extraEnv,
  };
  const listening = new Promise<string>((resolve) => {
    setupUrl = resolve;
  });
  const server = new Promise<AppServer>((resolve) => {
    appServer = resolve;
  });
  const exit = runServeCommand(
    [],
    { stdout: (text) => output.push(text), stderr: (text) => output.push(text) },
    {
      env,
      cwd,
      onSetupListening: (url) => setupUrl(url),
      setupStopSignal: () => stopped,
      stopSignal: (started) => {
        appServer(started);
        return stopped;
      },
    },
  );
  return { listening, server, exit, stop, output, env };
}

async function manifestForm(url: string): Promise<{ action: string; manifest: Record<string, unknown> }> {
  const page = await (await fetch(url)).text();
  const action = unescapeHtml(/<form action="([^"]+)"/.exec(page)?.[1] ?? "");
  const manifest = JSON.parse(
    unescapeHtml(/name="manifest" value="([^"]+)"/.exec(page)?.[1] ?? "{}"),
  ) as Record<string, unknown>;
  return { action, manifest };
}

describe("rfsn serve setup flow", () => {
  it("registers the App from app.yml, writes .env, and the App then verifies signed webhooks", async () => {
    const cwd = mkdtempSync(join(workspace, "flow-"));
    const serve = startServe(cwd);
    const setupUrl = await serve.listening;
    const url = new URL(setupUrl).origin;
    expect(serve.output.join("\n")).toContain(`Open ${setupUrl} in a browser`);
    // Someone else on the network reaching the port without the printed token gets no form (and no state).
    const withoutToken = await fetch(`${url}/`);
    expect(withoutToken.status).toBe(403);
    expect(await withoutToken.text()).not.toContain("state=");
    expect((await fetch(`${url}/?token=${"0".repeat(32)}`)).status).toBe(403);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    // Before the App exists nothing can be verified: GitHub is asked to retry.
    expect((await fetch(`${url}/api/github/webhooks`, { method: "POST", body: "{}" })).status).toBe(503);

    const { action, manifest } = await manifestForm(setupUrl);
    const state = new URL(action).searchParams.get("state") ?? "";
    expect(action).toBe(`http://${fake.host}/settings/apps/new?state=${state}`);
    expect(manifest).toMatchObject({
      name: APP_YML.name,
      default_events: APP_YML.default_events,
      default_permissions: APP_YML.default_permissions,
      hook_attributes: { url: `${url}/api/github/webhooks`, active: true },
      redirect_url: `${url}/setup/callback`,
      public: false,
    });

    // An attacker who did not start the flow cannot finish it: the state must match, and nothing is written.
    const forged = await fetch(
      `${url}/setup/callback?code=${fake.apps.acceptManifest(manifest)}&state=${"0".repeat(32)}`,
      {
        redirect: "manual",
      },
    );
    expect(forged.status).toBe(403);
    expect(existsSync(join(cwd, ".env"))).toBe(false);
    // A code GitHub never issued is refused by GitHub (404) and reported; still nothing written.
    const unknown = await fetch(`${url}/setup/callback?code=nosuchcode&state=${state}`, {
      redirect: "manual",
    });
    expect(unknown.status).toBe(502);
    expect(await unknown.text()).toMatch(/start again/);
    expect(existsSync(join(cwd, ".env"))).toBe(false);

    // The user clicks "Create GitHub App" on GitHub, which redirects back with a one-time code.
    const code = fake.apps.acceptManifest(manifest);
    const callback = await fetch(`${url}/setup/callback?code=${code}&state=${state}`, { redirect: "manual" });
    expect(callback.status).toBe(302);
    expect(callback.headers.get("location")).toBe("https://github.com/apps/rfsn/installations/new");
    expect(fake.requests.some((r) => r.operationId === "apps/create-from-manifest" && r.status === 201)).toBe(
      true,
    );

    const envPath = join(cwd, ".env");
    expect(statSync(envPath).mode & 0o777).toBe(0o600);
    const written = parseEnv(readFileSync(envPath, "utf8")) as Record<string, string>;
    const created = fake.apps.created.at(-1);
    expect(written.APP_ID).toBe(String(created?.id));
    expect(written.WEBHOOK_SECRET).toBe(created?.webhookSecret);
    const settings = readAppEnvironment(written);
    expect(settings.privateKey.trim()).toBe(created?.pem.trim());

    // RFSN goes on to start the App on the same address with the new credentials.
    const server = await serve.server;
    expect(server.port).toBe(Number(new URL(url).port));
    const secret = written.WEBHOOK_SECRET ?? "";
    expect((await postWebhook(server.url, secret, "star", { action: "created" })).status).toBe(202);
    expect((await postWebhook(server.url, "not-the-secret", "star", { action: "created" })).status).toBe(401);
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);

    serve.stop("SIGTERM");
    expect(await serve.exit).toBe(0);
  });

  it("gives up cleanly when stopped before the App is registered, writing nothing", async () => {
    const cwd = mkdtempSync(join(workspace, "stopped-"));
    const serve = startServe(cwd);
    await serve.listening;
    serve.stop("SIGINT");
    expect(await serve.exit).toBe(0);
    expect(existsSync(join(cwd, ".env"))).toBe(false);
    expect(serve.output.join("\n")).toMatch(/nothing written/);
  });

  it("puts WEBHOOK_PROXY_URL in the manifest and forwards the channel's deliveries to the App", async () => {
    // A stand-in for a smee.io channel: an event stream the test writes deliveries into.
    const streams: ServerResponse[] = [];
    const channel = createServer((request, response) => {
      if (request.url !== "/channel-1") {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      response.write(": ready\n\n");
      streams.push(response);
    });
    await new Promise<void>((resolve) => channel.listen(0, "127.0.0.1", resolve));
    const proxyUrl = `http://127.0.0.1:${(channel.address() as AddressInfo).port}/channel-1`;
    try {
      const cwd = mkdtempSync(join(workspace, "proxy-"));
      const serve = startServe(cwd, { WEBHOOK_PROXY_URL: proxyUrl });
      const setupUrl = await serve.listening;
      const url = new URL(setupUrl).origin;
      const { action, manifest } = await manifestForm(setupUrl);
      expect(manifest.hook_attributes).toEqual({ url: proxyUrl, active: true });
      const state = new URL(action).searchParams.get("state") ?? "";
      await fetch(`${url}/setup/callback?code=${fake.apps.acceptManifest(manifest)}&state=${state}`, {
        redirect: "manual",
      });
      const written = parseEnv(readFileSync(join(cwd, ".env"), "utf8")) as Record<string, string>;
      expect(written.WEBHOOK_PROXY_URL).toBe(proxyUrl);
      const server = await serve.server;
      expect(streams.length).toBeGreaterThan(0);

      const send = (payload: Record<string, unknown>, secret: string) => {
        const body = JSON.stringify(payload);
        const delivery = {
          "x-github-event": "check_suite",
          "x-github-delivery": crypto.randomUUID(),
          "x-hub-signature-256": sign(secret, body),
          body: payload,
        };
        for (const stream of streams) stream.write(`data: ${JSON.stringify(delivery)}\n\n`);
      };
      send({ action: "requested" }, written.WEBHOOK_SECRET ?? "");
      send({ action: "rerequested" }, "forged-secret");
      let metrics = "";
      for (
        let attempt = 0;
        attempt < 400 && !/event="check_suite"[^}]*action="requested"/.test(metrics);
        attempt += 1
      ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        metrics = await (await fetch(`${server.url}/metrics`)).text();
      }
      await server.idle();
      metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(
        /rfsn_app_webhooks_total\{[^}]*event="check_suite"[^}]*action="requested"[^}]*\} 1/,
      );
      // The delivery signed with the wrong secret was refused, proxy or not.
      expect(metrics).not.toMatch(/event="check_suite"[^}]*action="rerequested"/);
      serve.stop("SIGTERM");
      expect(await serve.exit).toBe(0);
    } finally {
      for (const stream of streams) stream.end();
      channel.closeAllConnections();
      await new Promise((resolve) => channel.close(resolve));
    }
  });
});
