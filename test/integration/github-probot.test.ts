// Probot 14 pointed at the fake GitHub: installation tokens are minted by the fake and used for the app's calls.
import { generateKeyPairSync } from "node:crypto";
import { createProbot, Probot } from "probot";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { collaboratorPermission } from "../../src/github/permissions.js";
import { type FakeGitHub, startFakeGitHub } from "../helpers/fake-github/index.js";

let fake: FakeGitHub;
const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 })
  .privateKey.export({ type: "pkcs1", format: "pem" })
  .toString();

beforeAll(async () => {
  fake = await startFakeGitHub();
  fake.addRepository({
    owner: "octo-org",
    name: "app-target",
    installationId: 77,
    permissions: { alice: "write" },
  });
});

afterAll(async () => {
  await fake.close();
});

afterEach(() => {
  fake.assertNoViolations();
});

describe("Probot against the fake GitHub", () => {
  it("mints an installation token with the app's JWT (baseUrl option) and uses it", async () => {
    const probot = new Probot({ appId: 12, privateKey, baseUrl: fake.url, logLevel: "fatal" });
    const octokit = await probot.auth(77);
    const { data } = await octokit.rest.repos.get({ owner: "octo-org", repo: "app-target" });
    expect(data.full_name).toBe("octo-org/app-target");
    const tokenRequest = fake.requests.find(
      (request) => request.operationId === "apps/create-installation-access-token",
    );
    expect(tokenRequest?.path).toBe("/app/installations/77/access_tokens");
    expect(tokenRequest?.authorization).toMatch(/^bearer [\w-]+\.[\w-]+\.[\w-]+$/i);
    const repoRequest = fake.requests.filter((request) => request.operationId === "repos/get").at(-1);
    expect(repoRequest?.authorization).toBe(`token ${fake.issuedTokens.at(-1)}`);
  });

  it("works through GHE_HOST and GHE_PROTOCOL, which add the /api/v3 prefix", async () => {
    const probot = createProbot({
      env: {
        APP_ID: "12",
        PRIVATE_KEY: privateKey,
        WEBHOOK_SECRET: "secret",
        GHE_HOST: fake.host,
        GHE_PROTOCOL: "http",
        LOG_LEVEL: "fatal",
      },
    });
    const octokit = await probot.auth(77);
    expect(await collaboratorPermission(octokit, "octo-org", "app-target", "alice")).toBe("write");
    const apiPaths = fake.requests.slice(-2).map((request) => request.path);
    expect(apiPaths).toEqual([
      "/app/installations/77/access_tokens",
      "/repos/octo-org/app-target/collaborators/alice/permission",
    ]);
    const appOctokit = await probot.auth();
    const { data } = await appOctokit.rest.apps.getRepoInstallation({
      owner: "octo-org",
      repo: "app-target",
    });
    expect(data.id).toBe(77);
  });
});
