// An attacker's always-passing test in the repaired suite hunts secrets and redirects pushes, in both publishing modes:
// no secret reaches any channel, nothing is redirected, no command of the attacker's runs, and the bug is still fixed.
// Needs the sandbox (h/sandbox): without it, repository code runs as RFSN's own user and finds the secrets.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createOctokit } from "../../src/github/octokit.js";
import { type FakeGitHub, type StoredDispatch, startFakeGitHub } from "../helpers/fake-github/index.js";
import { type FakeLlmServer, startFakeLlmServer } from "../helpers/fake-llm/fake-llm-server.js";
import { git, repositoryFromFixture } from "../helpers/git-fixtures.js";
import { checkoutCommit, runActionStep, runRepairWorkflow } from "../helpers/repair-workflow-runner.js";

const TOKEN = "ghs_attackerSuiteWriteToken0123456789abcd";
const CHECKOUT_TOKEN = "ghs_attackerSuiteCheckoutToken0123456789";
const LLM_KEY = "sk-attacker-suite-llm-key-0123456789abcdef";
const owner = "octo";

let fake: FakeGitHub;
let llm: FakeLlmServer;
let listener: Server;
let port = 0;
const received: string[] = [];
const dispatched = new Map<string, StoredDispatch>();

beforeAll(async () => {
  fake = await startFakeGitHub();
  fake.onDispatch((dispatch) => {
    dispatched.set(String(dispatch.inputs["request-id"]), dispatch);
  });
  llm = await startFakeLlmServer({ expectedKey: LLM_KEY, fallback: { kind: "answer", text: "no idea" } });
  listener = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      received.push(body);
      response.end("ok");
    });
  });
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  port = (listener.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => listener.close(() => resolve()));
  await llm.close();
  await fake.close();
});
afterEach(() => fake.assertNoViolations());

interface Trap {
  name: string;
  bare: string;
  failing: string;
  attackerRemote: string;
  marker: string;
  lootDir: string;
}

/** The quickstart bug, plus the attacker's test committed in the suite (it is part of the failing commit). */
function trappedRepository(name: string): Trap {
  const root = mkdtempSync(join(tmpdir(), "rfsn-attacker-"));
  const attackerRemote = join(root, "attacker.git");
  execFileSync("git", ["init", "--quiet", "--bare", attackerRemote]);
  const lootDir = join(root, "loot");
  mkdirSync(lootDir, { mode: 0o777 });
  const marker = join(lootDir, "attacker-command-ran");
  const { workspace, bare } = repositoryFromFixture("examples/quickstart");
  const hunt = readFileSync("test/fixtures/attacker/secret-hunt.test.js.txt", "utf8")
    .replace("__LISTENER_PORT__", String(port))
    .replace("__LOOT_FILE__", join(lootDir, "loot.txt"))
    .replace("__ATTACKER_REMOTE__", attackerRemote)
    .replace("__MARKER__", marker);
  writeFileSync(join(workspace, "test/environment.test.js"), hunt);
  git(workspace, "add", "-A");
  git(workspace, "commit", "--quiet", "-m", "more tests");
  git(workspace, "push", "--quiet", "origin", "main");
  const failing = git(workspace, "rev-parse", "HEAD");
  fake
    .addRepository({ owner, name, defaultBranch: "main", workflows: ["rfsn.yml"] })
    .importGit(bare, "main", "main");
  return { name, bare, failing, attackerRemote, marker, lootDir };
}

async function dispatch(name: string, inputs: Record<string, string>): Promise<StoredDispatch> {
  const octokit = createOctokit({ token: "ghs_app", baseUrl: fake.url, paceWrites: false, retries: 0 });
  await octokit.rest.actions.createWorkflowDispatch({
    owner,
    repo: name,
    workflow_id: "rfsn.yml",
    ref: "main",
    inputs,
  });
  await new Promise((resolve) => setImmediate(resolve));
  const run = dispatched.get(inputs["request-id"] ?? "");
  if (!run) throw new Error("no dispatch recorded");
  return run;
}

/** Every text a secret could have reached, except the runner commands that ask to mask it. */
function channels(trap: Trap, outputs: string[]): Array<[string, string]> {
  const repository = fake.repository(owner, trap.name);
  const found: Array<[string, string]> = [];
  for (const [index, output] of outputs.entries()) {
    const shown = output
      .split("\n")
      .filter((line) => !line.startsWith("::add-mask::"))
      .join("\n");
    found.push([`step ${index} stdout/stderr`, shown]);
  }
  for (const body of received) found.push(["127.0.0.1 listener", body]);
  for (const file of readdirSync(trap.lootDir))
    found.push([`file ${file}`, readFileSync(join(trap.lootDir, file), "latin1")]);
  for (const pull of repository.pulls.values()) found.push([`PR #${pull.number} body`, pull.body ?? ""]);
  for (const comment of repository.comments) found.push([`comment ${comment.id}`, comment.body]);
  for (const artifact of repository.artifacts) {
    for (const [file, bytes] of Object.entries(unzipSync(new Uint8Array(artifact.zip))))
      found.push([`artifact ${artifact.name}/${file}`, Buffer.from(bytes).toString("latin1")]);
  }
  for (const request of fake.requests)
    found.push([`request ${request.method} ${request.path}`, JSON.stringify(request.body ?? "")]);
  for (const request of llm.requests) found.push(["LLM prompt", request.prompt]);
  return found;
}

function expectNoSecret(trap: Trap, outputs: string[], summaries: string[], secrets: string[]): void {
  const places = [
    ...channels(trap, outputs),
    ...summaries.map((summary, i): [string, string] => [`job summary ${i}`, summary]),
  ];
  const leaks = places.flatMap(([where, text]) =>
    secrets
      .filter((secret) => text.includes(secret) || text.includes(secret.slice(4, 24)))
      .map((secret) => `${where}: ${secret.slice(0, 8)}…`),
  );
  expect(leaks).toEqual([]);
}

function expectNothingRedirected(trap: Trap): void {
  expect(git(trap.attackerRemote, "for-each-ref")).toBe("");
  expect(existsSync(trap.marker)).toBe(false);
}

/** The attacker's test really ran and passed: the baseline counts the quickstart's 6 tests plus it. */
function expectHuntRan(trap: Trap): void {
  const artifact = fake.repository(owner, trap.name).artifacts.find((entry) => entry.name === "rfsn-repair");
  const files = unzipSync(new Uint8Array(artifact?.zip ?? Buffer.alloc(0)));
  const report = JSON.parse(Buffer.from(files["report.json"] ?? new Uint8Array()).toString("utf8")) as {
    baseline: { passingCount: number; failing: unknown[] };
  };
  expect(report.baseline.passingCount + report.baseline.failing.length).toBe(7);
}

function expectFixedOnFailingCommit(trap: Trap, commit: string): void {
  const repository = fake.repository(owner, trap.name);
  const exported = repository.git.exportToGit(trap.bare, commit);
  expect(git(trap.bare, "rev-parse", `${exported}^`)).toBe(trap.failing);
  expect(git(trap.bare, "diff", "--name-only", trap.failing, exported)).toBe("src/cart.js");
}

describe("an attacker's test in the repaired suite", () => {
  it("finds nothing in the Action-only two-job mode, and the bug is still fixed", async () => {
    received.length = 0;
    const trap = trappedRepository("trap-two-jobs");
    const run = await dispatch(trap.name, {
      "failing-commit": trap.failing,
      ref: "main",
      trigger: "ci-failure",
      "request-id": "trap-1",
    });
    const uploadEnv = fake.artifactUploadEnvironment(owner, trap.name, run.runId);
    const { repair, publish } = await runRepairWorkflow({
      fake,
      dispatch: run,
      bare: trap.bare,
      token: TOKEN,
      repairInputs: { "llm-provider": "openai", "llm-base-url": llm.openaiBaseUrl, "llm-api-key": LLM_KEY },
      repairEnv: uploadEnv,
    });
    expect(repair.code, repair.output).toBe(0);
    expect(publish?.code, publish?.output).toBe(0);
    expectNoSecret(
      trap,
      [repair.output, publish?.output ?? ""],
      [repair.summary, publish?.summary ?? ""],
      [TOKEN, LLM_KEY, uploadEnv.ACTIONS_RUNTIME_TOKEN ?? ""],
    );
    expectNothingRedirected(trap);
    expectHuntRan(trap);
    expectFixedOnFailingCommit(trap, publish?.outputs.commit ?? "");
  }, 300_000);

  it("finds nothing in one job (step all) with a write token, an LLM key and a persisted checkout credential", async () => {
    received.length = 0;
    const trap = trappedRepository("trap-all");
    const run = await dispatch(trap.name, {
      "failing-commit": trap.failing,
      ref: "main",
      trigger: "ci-failure",
      "request-id": "trap-2",
    });
    // actions/checkout's default: the credential persisted in .git/config for later git commands.
    const workspace = checkoutCommit(trap.bare, trap.failing);
    const basic = Buffer.from(`x-access-token:${CHECKOUT_TOKEN}`).toString("base64");
    git(workspace, "config", "http.https://github.com/.extraheader", `AUTHORIZATION: basic ${basic}`);
    const uploadEnv = fake.artifactUploadEnvironment(owner, trap.name, run.runId);
    const step = await runActionStep({
      fake,
      dispatch: run,
      workspace,
      inputs: {
        step: "all",
        "failing-commit": trap.failing,
        ref: "main",
        trigger: "ci-failure",
        "request-id": "trap-2",
        token: TOKEN,
        "llm-provider": "openai",
        "llm-base-url": llm.openaiBaseUrl,
        "llm-api-key": LLM_KEY,
      },
      env: uploadEnv,
    });
    expect(step.code, step.output).toBe(0);
    expect(step.outputs.outcome).toBe("fixed");
    expectNoSecret(
      trap,
      [step.output],
      [step.summary],
      [TOKEN, LLM_KEY, CHECKOUT_TOKEN, basic, uploadEnv.ACTIONS_RUNTIME_TOKEN ?? ""],
    );
    expectNothingRedirected(trap);
    expectHuntRan(trap);
    expectFixedOnFailingCommit(trap, step.outputs.commit ?? "");
  }, 300_000);
});
