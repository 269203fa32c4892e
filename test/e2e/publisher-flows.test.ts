// The repair workflow's two jobs on a real repository, with GitHub's dispatch semantics: the fix commit's parent is always
// the failing commit (default branch moved on, failure on a PR branch, shallow checkout), and the LLM works in the Action.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createOctokit } from "../../src/github/octokit.js";
import { type FakeGitHub, type StoredDispatch, startFakeGitHub } from "../helpers/fake-github/index.js";
import { type FakeLlmServer, startFakeLlmServer } from "../helpers/fake-llm/fake-llm-server.js";
import { git, repositoryFromFixture } from "../helpers/git-fixtures.js";
import { runRepairWorkflow, shallowCloneBranch } from "../helpers/repair-workflow-runner.js";

const TOKEN = "ghs_publishJobToken0123456789abcdefABCDEF";
const LLM_KEY = "sk-action-llm-key-0123456789abcdef";
const owner = "octo";
let fake: FakeGitHub;
const dispatched = new Map<string, StoredDispatch>();

beforeAll(async () => {
  fake = await startFakeGitHub();
  fake.onDispatch((dispatch) => {
    dispatched.set(String(dispatch.inputs["request-id"]), dispatch);
  });
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => fake.assertNoViolations());

interface Story {
  name: string;
  bare: string;
  workspace: string;
  failing: string;
}

/** A fixture with its bug committed (the failing commit), then `main` moved on by an unrelated commit. */
function movedOnRepository(name: string, fixture = "examples/quickstart"): Story {
  const { workspace, bare, sha } = repositoryFromFixture(fixture);
  writeFileSync(join(workspace, "NOTES.md"), "A later, unrelated change on main.\n");
  git(workspace, "add", "NOTES.md");
  git(workspace, "commit", "--quiet", "-m", "notes");
  git(workspace, "push", "--quiet", "origin", "main");
  const repository = fake.addRepository({ owner, name, defaultBranch: "main", workflows: ["rfsn.yml"] });
  repository.importGit(bare, "main", "main");
  return { name, bare, workspace, failing: sha };
}

/** What the App does: dispatch the repair workflow on the default branch with the failing commit as an input. */
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

/** The fix commit as git sees it, after copying it from the fake into the bare origin. */
function fixCommitInGit(story: Story, commit: string) {
  const exported = fake.repository(owner, story.name).git.exportToGit(story.bare, commit);
  return {
    id: exported,
    parent: git(story.bare, "rev-parse", `${exported}^`),
    parents: git(story.bare, "rev-list", "--parents", "-n", "1", exported).split(" ").length - 1,
    changed: git(story.bare, "diff", "--name-only", story.failing, exported),
  };
}

function pullOf(name: string, commit: string) {
  return [...fake.repository(owner, name).pulls.values()].find((pull) => pull.headSha === commit);
}

describe("the repair workflow on a real repository", () => {
  it("builds the fix on the failing commit when the default branch has moved on (GITHUB_SHA is main's tip)", async () => {
    const story = movedOnRepository("moved-on");
    const run = await dispatch(story.name, {
      "failing-commit": story.failing,
      ref: "main",
      trigger: "ci-failure",
      "request-id": "moved-1",
    });
    expect(run.sha).toBe(git(story.bare, "rev-parse", "main"));
    expect(run.sha).not.toBe(story.failing);
    expect(run.githubRef).toBe("refs/heads/main");

    const { repair, publish, repairRequests } = await runRepairWorkflow({
      fake,
      dispatch: run,
      bare: story.bare,
      token: TOKEN,
    });
    expect(repair.code, repair.output).toBe(0);
    expect(repair.outputs.outcome).toBe("fixed");
    expect(repair.outputs["failing-commit"]).toBe(story.failing);
    // The repair job had no write token and made no API call; it only uploaded the artifact.
    expect(
      Object.keys(repair.env).filter((key) => /TOKEN$/.test(key) && key !== "ACTIONS_RUNTIME_TOKEN"),
    ).toEqual([]);
    expect(repairRequests).toBe(0);
    expect(fake.repository(owner, story.name).artifacts.map((artifact) => artifact.name)).toContain(
      "rfsn-repair",
    );

    expect(publish?.code, publish?.output).toBe(0);
    const commit = publish?.outputs.commit ?? "";
    const fix = fixCommitInGit(story, commit);
    expect(fix.id).toBe(commit);
    expect(fix.parent).toBe(story.failing);
    expect(fix.parents).toBe(1);
    expect(fix.changed).toBe("src/cart.js");
    // An automatic run opens a draft against the branch that failed.
    expect(pullOf(story.name, commit)).toMatchObject({
      base: "main",
      draft: true,
      head: `rfsn/fix/${story.failing.slice(0, 7)}-moved-1`,
    });
    const comment = fake
      .repository(owner, story.name)
      .comments.find((c) => c.body.includes("rfsn:summary request=moved-1"));
    expect(comment?.body).toMatch(/fixed/i);
    expect(publish?.summary).toContain("RFSN repair report");
  }, 240_000);

  it("fixes a failure on a PR branch with a ready PR onto that branch when /rfsn fix asked", async () => {
    const story = movedOnRepository("pr-branch");
    // The PR branch: the buggy code plus a commit of its own; that commit is the one that failed.
    git(story.workspace, "checkout", "--quiet", "-b", "feature/cart", story.failing);
    writeFileSync(join(story.workspace, "FEATURE.md"), "The feature's own change.\n");
    git(story.workspace, "add", "FEATURE.md");
    git(story.workspace, "commit", "--quiet", "-m", "feature");
    git(story.workspace, "push", "--quiet", "origin", "feature/cart");
    const failing = git(story.workspace, "rev-parse", "HEAD");
    const repository = fake.repository(owner, story.name);
    repository.importGit(story.bare, "feature/cart", "feature/cart");
    repository.ensureIssue(5, true, "Cart totals");
    repository.pulls.set(5, {
      number: 5,
      title: "Cart totals",
      body: null,
      head: "feature/cart",
      headSha: failing,
      base: "main",
      draft: false,
      state: "open",
      user: "alice",
    });
    const run = await dispatch(story.name, {
      "failing-commit": failing,
      ref: "feature/cart",
      trigger: "comment",
      "request-id": "pr-1",
      "comment-target": "5",
    });
    const { repair, publish } = await runRepairWorkflow({
      fake,
      dispatch: run,
      bare: story.bare,
      token: TOKEN,
    });
    expect(repair.code, repair.output).toBe(0);
    expect(publish?.code, publish?.output).toBe(0);
    const commit = publish?.outputs.commit ?? "";
    const fix = fixCommitInGit({ ...story, failing }, commit);
    expect(fix.parent).toBe(failing);
    expect(fix.changed).toBe("src/cart.js");
    expect(pullOf(story.name, commit)).toMatchObject({ base: "feature/cart", draft: false });
    const summary = repository.comments.filter(
      (c) => c.issueNumber === 5 && c.body.includes("rfsn:summary request=pr-1"),
    );
    expect(summary).toHaveLength(1);
  }, 240_000);

  it("fetches the failing commit when the checkout is a depth-1 clone of the moved-on branch", async () => {
    const story = movedOnRepository("shallow");
    const run = await dispatch(story.name, {
      "failing-commit": story.failing,
      ref: "main",
      trigger: "manual",
      "request-id": "shallow-1",
    });
    const workspace = shallowCloneBranch(story.bare, "main");
    expect(git(workspace, "rev-parse", "--is-shallow-repository")).toBe("true");
    expect(() => git(workspace, "cat-file", "-e", `${story.failing}^{commit}`)).toThrow();
    const { repair, publish } = await runRepairWorkflow({
      fake,
      dispatch: run,
      bare: story.bare,
      token: TOKEN,
      workspace,
    });
    expect(repair.code, repair.output).toBe(0);
    expect(repair.output).toContain(`checked out the failing commit ${story.failing} (fetched)`);
    const fix = fixCommitInGit(story, publish?.outputs.commit ?? "");
    expect(fix.parent).toBe(story.failing);
    expect(fix.changed).toBe("src/cart.js");
    // A manual run is an explicit request: ready for review.
    expect(pullOf(story.name, fix.id)?.draft).toBe(false);
  }, 240_000);
});

describe("the LLM in the Action", () => {
  let llm: FakeLlmServer;
  afterEach(async () => {
    await llm?.close();
  });

  it("fixes a bug only the model's answer fixes, and the report shows the call, tokens and cost", async () => {
    const story = movedOnRepository("llm-shipping", "test/fixtures/llm/shipping-project");
    const answer = readFileSync("test/fixtures/llm/answers/search-replace.txt", "utf8");
    llm = await startFakeLlmServer({
      expectedKey: LLM_KEY,
      fallback: (request) =>
        request.prompt.includes("return total;")
          ? { kind: "answer", text: answer, inputTokens: 900, outputTokens: 60 }
          : { kind: "answer", text: "no idea" },
    });
    const run = await dispatch(story.name, {
      "failing-commit": story.failing,
      ref: "main",
      trigger: "ci-failure",
      "request-id": "llm-1",
      "test-command": "node --test",
    });
    const { repair, publish } = await runRepairWorkflow({
      fake,
      dispatch: run,
      bare: story.bare,
      token: TOKEN,
      repairInputs: {
        "llm-provider": "openai",
        "llm-model": "gpt-4.1-mini",
        "llm-base-url": llm.openaiBaseUrl,
        "llm-api-key": LLM_KEY,
      },
    });
    expect(repair.code, repair.output).toBe(0);
    expect(repair.outputs.outcome).toBe("fixed");
    expect(repair.outputs.patch).toContain("+  if (total < 50) total += 4.99;");
    expect(llm.requests.length).toBeGreaterThanOrEqual(1);
    expect(llm.requests.every((request) => !request.prompt.includes(LLM_KEY))).toBe(true);
    expect(repair.summary).toMatch(/LLM calls \(cache hits\) \| [1-9]/);
    expect(repair.summary).toMatch(/LLM tokens in \/ out \| [1-9]\d* \/ [1-9]/);
    expect(repair.summary).toMatch(/LLM cost \| \$\d+\.\d{4}/);
    // The key shows only in the command that asks the runner to mask it.
    expect(repair.output).toContain(`::add-mask::${LLM_KEY}`);
    const printed = repair.output.split("\n").filter((line) => !line.startsWith("::add-mask::"));
    expect(printed.join("\n")).not.toContain(LLM_KEY.slice(8));
    const fix = fixCommitInGit(story, publish?.outputs.commit ?? "");
    expect(fix.parent).toBe(story.failing);
    expect(fix.changed).toBe("src/pricing.js");
  }, 240_000);

  it('says "LLM off: no key" when the LLM is on but no key was given', async () => {
    const story = movedOnRepository("llm-nokey", "test/fixtures/llm/shipping-project");
    const run = await dispatch(story.name, {
      "failing-commit": story.failing,
      ref: "main",
      trigger: "ci-failure",
      "request-id": "nokey-1",
      "test-command": "node --test",
      "max-iterations": "2",
    });
    const { repair } = await runRepairWorkflow({
      fake,
      dispatch: run,
      bare: story.bare,
      token: TOKEN,
      repairInputs: { "llm-provider": "openai" },
    });
    expect(repair.code, repair.output).toBe(0);
    expect(repair.summary).toContain("LLM off: no key");
  }, 240_000);
});
