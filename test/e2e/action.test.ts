import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Worker } from "node:worker_threads";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FakeGitHub, startFakeGitHub } from "../helpers/fake-github/index.js";
import { git, repositoryFromFixture } from "../helpers/git-fixtures.js";

const BUNDLE = resolve("bundle/index.js");
const TOKEN = "ghs_e2eTestToken0123456789abcdefABCDEF";
let fake: FakeGitHub;

beforeAll(async () => {
  fake = await startFakeGitHub();
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  fake.assertNoViolations();
});

interface ActionRun {
  code: number | null;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Reads `name<<DELIMITER … DELIMITER` entries of a GITHUB_OUTPUT file. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const pattern = /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(pattern)) outputs[match[1] ?? ""] = match[3] ?? "";
  return outputs;
}

/** Runs the committed bundle as the runner would: inputs and context in the environment. */
function runAction(
  name: string,
  workspace: string,
  sha: string,
  inputs: Record<string, string>,
): Promise<ActionRun> {
  const temp = mkdtempSync(join(tmpdir(), "rfsn-runner-"));
  const outputFile = join(temp, "output");
  const summaryFile = join(temp, "summary");
  writeFileSync(outputFile, "");
  writeFileSync(summaryFile, "");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? temp,
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: `octo/${name}`,
    GITHUB_SHA: sha,
    GITHUB_REF_NAME: "main",
    GITHUB_API_URL: fake.url,
    GITHUB_SERVER_URL: "https://github.example",
    GITHUB_RUN_ID: "4242",
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: temp,
    INPUT_TOKEN: TOKEN,
    "INPUT_MEMORY-CACHE": "false",
    "INPUT_TIME-BUDGET-MINUTES": "2",
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [BUNDLE], {
      cwd: workspace,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stdout += chunk;
    });
    child.on("close", (code) => {
      resolvePromise({
        code,
        stdout,
        outputs: parseOutputs(readFileSync(outputFile, "utf8")),
        summary: readFileSync(summaryFile, "utf8"),
      });
    });
  });
}

function addRepository(name: string, bare: string, issue: number) {
  const repository = fake.addRepository({ owner: "octo", name, defaultBranch: "main", gitRemote: bare });
  fake.addIssue("octo", name, issue, { title: "CI is red" });
  return repository;
}

describe("the packaged Action", () => {
  it("fixes a failing project in one job (step all): commits on the failing commit through the API, opens the PR, comments and sets outputs", async () => {
    expect(existsSync(BUNDLE)).toBe(true);
    const { workspace, bare, sha } = repositoryFromFixture("examples/quickstart");
    const repository = addRepository("shop7", bare, 7);
    const run = await runAction("shop7", workspace, sha, {
      trigger: "comment",
      "request-id": "req-1",
      "comment-target": "7",
    });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.outcome).toBe("fixed");
    const branch = `rfsn/fix/${sha.slice(0, 7)}-req-1`;
    // The branch points at one commit on top of the failing one, made through the git data API (nothing is pushed),
    // touching only the source file: copied into the bare origin, git computes the same id.
    const made = repository.branches.get(branch) ?? "";
    expect(run.outputs.commit).toBe(made);
    const pushed = repository.git.exportToGit(bare, made);
    expect(pushed).toBe(made);
    expect(git(bare, "rev-parse", `${pushed}^`)).toBe(sha);
    expect(git(bare, "diff", "--name-only", sha, pushed)).toBe("src/cart.js");
    expect(git(bare, "log", "-1", "--format=%an", pushed)).toBe("rfsn[bot]");
    expect(git(bare, "branch", "--list", "rfsn/*")).toBe("");
    // The pull request targets main with labels and a body a reviewer can act on.
    const pull = [...repository.pulls.values()].find((candidate) => candidate.head === branch);
    expect(pull?.base).toBe("main");
    expect(run.outputs["pr-number"]).toBe(String(pull?.number));
    expect(pull?.body).toContain("src/cart.js");
    // The summary comment went to the issue that asked.
    const comment = repository.comments.find((c) => c.issueNumber === 7);
    expect(comment?.body).toContain("rfsn:summary request=req-1");
    expect(comment?.body).toMatch(/fixed/i);
    expect(run.summary.length).toBeGreaterThan(100);
    expect(Number(run.outputs["candidates-tried"])).toBeGreaterThan(0);
    expect(run.outputs.patch).toContain("src/cart.js");
    // The token never shows in what the Action prints, apart from the command that asks the runner to mask it.
    const printed = run.stdout.split("\n").filter((line) => !line.startsWith("::add-mask::"));
    expect(run.stdout).toContain(`::add-mask::${TOKEN}`);
    expect(printed.join("\n")).not.toContain(TOKEN);
  });

  it("comments on what was tried and opens no PR when it cannot fix the failure", async () => {
    const { workspace, bare, sha } = repositoryFromFixture("test/fixtures/llm/shipping-project");
    const repository = addRepository("shop8", bare, 8);
    const run = await runAction("shop8", workspace, sha, {
      trigger: "manual",
      "request-id": "req-2",
      "comment-target": "8",
      "max-iterations": "3",
    });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.outcome).toBe("not_fixed");
    expect(repository.pulls.size).toBe(0);
    expect([...repository.branches.keys()].filter((name) => name.startsWith("rfsn/"))).toEqual([]);
    expect(git(bare, "branch", "--list", "rfsn/*")).toBe("");
    const comment = repository.comments.find((c) => c.issueNumber === 8);
    expect(comment?.body).toMatch(/not fixed|not_fixed/i);
  });

  it("reports an already green project without a PR", async () => {
    const { workspace, bare, sha } = repositoryFromFixture("test/fixtures/sessions/green");
    const repository = addRepository("shop9", bare, 9);
    const run = await runAction("shop9", workspace, sha, { "request-id": "req-3", "comment-target": "9" });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.outcome).toBe("no_failure");
    expect(repository.pulls.size).toBe(0);
  });

  it("serves candidate generation, not the Action, when the bundle is started as a generation worker", async () => {
    const worker = new Worker(BUNDLE, { workerData: { role: "rfsn-candidate-generation" } });
    try {
      const reply = new Promise<{ id: number; candidates?: Array<{ proposal: { rationale: string } }> }>(
        (resolve, reject) => {
          worker.once("message", resolve);
          worker.once("error", reject);
        },
      );
      const source = "export function f(a, b) {\n  return a - b;\n}\n";
      worker.postMessage({
        id: 7,
        kind: "generate",
        request: { location: { file: "a.js", startLine: 2, endLine: 2, score: 1, reasons: [] }, source },
      });
      const answer = await reply;
      expect(answer.id).toBe(7);
      expect(answer.candidates?.map((candidate) => candidate.proposal.rationale)).toContain(
        "replace `-` with `+` in `a - b` in `return` at line 2",
      );
    } finally {
      await worker.terminate();
    }
  });

  it("fails the step with the reason when the test command cannot run", async () => {
    const { workspace, bare, sha } = repositoryFromFixture("test/fixtures/sessions/broken");
    const repository = addRepository("shop10", bare, 10);
    const run = await runAction("shop10", workspace, sha, { "request-id": "req-4", "comment-target": "10" });
    expect(run.code).toBe(1);
    expect(run.outputs.outcome).toBe("cannot_run");
    expect(run.stdout).toMatch(/could not run the tests/);
    expect(repository.pulls.size).toBe(0);
  });
});
