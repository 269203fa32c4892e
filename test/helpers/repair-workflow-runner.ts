// Test helper: runs the Action bundle as a runner would, and the repair workflow template's two jobs around it.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { FakeGitHub, StoredDispatch } from "./fake-github/index.js";
import { git } from "./git-fixtures.js";

export const ACTION_BUNDLE = resolve("bundle/index.js");

export interface ActionRun {
  code: number | null;
  /** stdout and stderr, interleaved. */
  output: string;
  outputs: Record<string, string>;
  summary: string;
  /** The environment the step got (for assertions on what it did not get). */
  env: Record<string, string>;
}

/** Reads `name<<DELIMITER … DELIMITER` entries of a GITHUB_OUTPUT file. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const match of text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm))
    outputs[match[1] ?? ""] = match[3] ?? "";
  return outputs;
}

export interface StepOptions {
  fake: FakeGitHub;
  dispatch: StoredDispatch;
  workspace: string;
  inputs: Record<string, string>;
  /** Added last (a token, artifact upload variables, an attacker's listener address…). */
  env?: Record<string, string>;
}

/** One `uses: rfsn/rfsn@v1` step: the bundle in a fresh process with the runner's variables and `INPUT_*`. */
export function runActionStep(options: StepOptions): Promise<ActionRun> {
  const { dispatch } = options;
  const temp = mkdtempSync(join(tmpdir(), "rfsn-runner-temp-"));
  const home = join(temp, "home");
  mkdirSync(home);
  const outputFile = join(temp, "output");
  const summaryFile = join(temp, "summary");
  writeFileSync(outputFile, "");
  writeFileSync(summaryFile, "");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: home,
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_REPOSITORY: `${dispatch.owner}/${dispatch.repo}`,
    // GitHub's semantics for workflow_dispatch: the tip of the dispatched branch, not the failing commit.
    GITHUB_SHA: dispatch.sha,
    GITHUB_REF: dispatch.githubRef,
    GITHUB_REF_NAME: dispatch.githubRef.replace(/^refs\/(heads|tags)\//, ""),
    GITHUB_EVENT_NAME: "workflow_dispatch",
    GITHUB_API_URL: options.fake.url,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_RUN_ID: String(dispatch.runId),
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: temp,
    "INPUT_MEMORY-CACHE": "false",
    "INPUT_TIME-BUDGET-MINUTES": "3",
  };
  for (const [name, value] of Object.entries(options.inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  Object.assign(env, options.env ?? {});
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [ACTION_BUNDLE], {
      cwd: options.workspace,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.on("close", (code) =>
      resolvePromise({
        code,
        output,
        outputs: parseOutputs(readFileSync(outputFile, "utf8")),
        summary: readFileSync(summaryFile, "utf8"),
        env,
      }),
    );
  });
}

/** `actions/checkout` with `ref: <sha>` (its default depth 1) and `persist-credentials: false`, from a local bare origin. */
export function checkoutCommit(bare: string, sha: string): string {
  const workspace = join(mkdtempSync(join(tmpdir(), "rfsn-runner-work-")), "workspace");
  mkdirSync(workspace);
  git(workspace, "init", "--quiet");
  git(workspace, "remote", "add", "origin", `file://${bare}`);
  git(workspace, "fetch", "--quiet", "--no-tags", "--depth=1", "origin", sha);
  git(workspace, "checkout", "--quiet", "--detach", "FETCH_HEAD");
  return workspace;
}

/** A depth-1 clone of a branch: what an older workflow (checkout without `ref`) gives a dispatched run. */
export function shallowCloneBranch(bare: string, branch: string): string {
  const root = mkdtempSync(join(tmpdir(), "rfsn-runner-work-"));
  git(root, "clone", "--quiet", "--depth", "1", "--branch", branch, `file://${bare}`, "workspace");
  return join(root, "workspace");
}

export interface WorkflowRun {
  repair: ActionRun;
  publish: ActionRun | null;
  /** Requests the fake GitHub saw while the repair job ran (it should make none). */
  repairRequests: number;
}

/** The two jobs of `.github/workflows/rfsn.yml` for a dispatch: repair (no token) then, when it succeeded, publish. */
export async function runRepairWorkflow(options: {
  fake: FakeGitHub;
  dispatch: StoredDispatch;
  bare: string;
  token: string;
  /** The repair job's workspace (default: the template's checkout of the failing commit). */
  workspace?: string;
  repairInputs?: Record<string, string>;
  repairEnv?: Record<string, string>;
}): Promise<WorkflowRun> {
  const { fake, dispatch } = options;
  const inputs = Object.fromEntries(
    Object.entries(dispatch.inputs).map(([key, value]) => [key, String(value)]),
  );
  const failingCommit = inputs["failing-commit"] ?? "";
  const pass = (names: string[]) =>
    Object.fromEntries(
      names.filter((name) => inputs[name] !== undefined).map((name) => [name, inputs[name] ?? ""]),
    );
  const before = fake.requests.length;
  const repair = await runActionStep({
    fake,
    dispatch,
    workspace: options.workspace ?? checkoutCommit(options.bare, failingCommit),
    inputs: {
      step: "repair",
      "failing-commit": failingCommit,
      ...pass(["ref", "failed-run-id", "trigger", "request-id", "test-command", "max-iterations"]),
      "llm-provider": inputs.llm === "off" ? "off" : "",
      ...options.repairInputs,
    },
    env: {
      ...fake.artifactUploadEnvironment(dispatch.owner, dispatch.repo, dispatch.runId),
      ...options.repairEnv,
    },
  });
  const repairRequests = fake.requests.length - before;
  // The template's `publish` job runs `if: inputs.publisher == 'action'` (the default); in App mode the App publishes.
  if (repair.code !== 0 || inputs.publisher === "app") return { repair, publish: null, repairRequests };
  const publish = await runActionStep({
    fake,
    dispatch,
    // No checkout: an empty workspace.
    workspace: mkdtempSync(join(tmpdir(), "rfsn-runner-empty-")),
    inputs: {
      step: "publish",
      "failing-commit": failingCommit,
      token: options.token,
      ...pass(["ref", "failed-run-id", "trigger", "request-id", "comment-target", "base-branch"]),
    },
  });
  return { repair, publish, repairRequests };
}
