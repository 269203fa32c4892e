// The App's pure decisions: loop and fork screening, watch lists, limits, dedupe keys, payload reading, run titles.
import { describe, expect, it } from "vitest";
import { repairConclusion, requestIdFromRunTitle } from "../../src/app/check-run-lifecycle.js";
import {
  branchWatched,
  checkLimits,
  checkOffSwitches,
  configAllowsCiFailure,
  isOwnSender,
  requestDedupeKey,
  screenCiFailure,
  workflowWatched,
} from "../../src/app/policy.js";
import { dispatchInputs } from "../../src/app/repair-dispatch.js";
import {
  readCheckSuiteEvent,
  readInstallationEvent,
  readIssueCommentEvent,
  readWorkflowRunEvent,
} from "../../src/app/webhook-payloads.js";
import { defaultConfig } from "../../src/core/config/schema.js";
import {
  checkSuiteCompleted,
  installationCreated,
  issueCommentCreated,
  workflowRunCompleted,
} from "../fixtures/app/webhook-payloads.js";

const SHA = "a".repeat(40);
const facts = {
  senderLogin: "octocat",
  headBranch: "main",
  defaultBranch: "main",
  conclusion: "failure",
  fromFork: false,
  workflow: { name: "CI", path: ".github/workflows/ci.yml" },
};

describe("screening CI failures", () => {
  it("acts on a plain failure on a same-repository branch", () => {
    expect(screenCiFailure(facts, "rfsn")).toEqual({ act: true });
  });

  it.each([
    [{ conclusion: "success" }, "ignored_conclusion"],
    [{ conclusion: null }, "ignored_conclusion"],
    [{ senderLogin: "RFSN[bot]" }, "ignored_own"],
    [{ workflow: { name: "RFSN repair", path: ".github/workflows/rfsn.yml" } }, "ignored_own"],
    [{ headBranch: "rfsn/fix/abc-1" }, "ignored_own"],
    [{ headBranch: null }, "ignored_branch"],
  ])("refuses %o as %s", (change, decision) => {
    const verdict = screenCiFailure({ ...facts, ...change }, "rfsn");
    expect(verdict.act ? "act" : verdict.decision).toBe(decision);
  });

  it("lets a fork's failure through screening: its repair job holds no secret and the App publishes", () => {
    expect(screenCiFailure({ ...facts, fromFork: true }, "rfsn")).toEqual({ act: true });
  });

  it("tells the App's own bot from other bots", () => {
    expect(isOwnSender("rfsn[bot]", "rfsn")).toBe(true);
    expect(isOwnSender("dependabot[bot]", "rfsn")).toBe(false);
    expect(isOwnSender("rfsn", "rfsn")).toBe(false);
  });
});

describe("the repository's configuration", () => {
  it("watches only the default branch and every workflow by default", () => {
    const config = defaultConfig();
    expect(branchWatched(config, "main", "main")).toBe(true);
    expect(branchWatched(config, "develop", "main")).toBe(false);
    expect(workflowWatched(config, "anything", ".github/workflows/x.yml")).toBe(true);
  });

  it("matches watched workflows by name, file or path, and watched branches by name", () => {
    const config = defaultConfig();
    config.watch = { branches: ["release"], workflows: ["Tests", "lint.yml"] };
    expect(branchWatched(config, "release", "main")).toBe(true);
    expect(branchWatched(config, "main", "main")).toBe(false);
    expect(workflowWatched(config, "Tests", ".github/workflows/t.yml")).toBe(true);
    expect(workflowWatched(config, "Lint", ".github/workflows/lint.yml")).toBe(true);
    expect(workflowWatched(config, "Build", ".github/workflows/build.yml")).toBe(false);
  });

  it("respects enabled and auto_repair", () => {
    const off = defaultConfig();
    off.enabled = false;
    expect(configAllowsCiFailure(facts, off)).toMatchObject({ act: false, decision: "ignored_disabled" });
    const manual = defaultConfig();
    manual.autoRepair = false;
    expect(configAllowsCiFailure(facts, manual)).toMatchObject({
      act: false,
      reason: expect.stringContaining("auto_repair"),
    });
    const narrow = defaultConfig();
    narrow.watch.workflows = ["deploy.yml"];
    expect(configAllowsCiFailure(facts, narrow)).toMatchObject({ decision: "ignored_workflow" });
  });

  it("enforces attempts per commit before the daily limit", () => {
    const config = defaultConfig();
    config.limits.attemptsPerCommit = 2;
    config.limits.runsPerDay = 5;
    expect(checkLimits(config, { attemptsForHead: 1, runsLast24Hours: 4 })).toEqual({ act: true });
    expect(checkLimits(config, { attemptsForHead: 2, runsLast24Hours: 0 })).toMatchObject({
      decision: "attempts_exhausted",
    });
    expect(checkLimits(config, { attemptsForHead: 0, runsLast24Hours: 5 })).toMatchObject({
      decision: "rate_limited",
      reason: expect.stringContaining("runs_per_day is 5"),
    });
  });
});

describe("dedupe keys and dispatch inputs", () => {
  it("keys a request by repository, commit and trigger, and comments by comment id too", () => {
    expect(
      requestDedupeKey({ repository: "Octo/Repo", headSha: SHA.toUpperCase(), trigger: "ci-failure" }),
    ).toBe(`octo/repo@${SHA}:ci-failure`);
    expect(requestDedupeKey({ repository: "o/r", headSha: SHA, trigger: "comment", commentId: 5 })).toBe(
      `o/r@${SHA}:comment:comment-5`,
    );
  });

  it("fills every workflow input as a string", () => {
    const inputs = dispatchInputs(
      {
        repository: { owner: "o", repo: "r", fullName: "o/r", defaultBranch: "main" },
        headSha: SHA,
        trigger: "comment",
        config: defaultConfig(),
        baseBranch: "feature",
        failedRunId: null,
        commentTarget: { issueNumber: 9, commentId: 1 },
        requestedBy: "alice",
        testCommand: null,
        maxIterations: 4,
        llm: false,
      },
      "req-1",
    );
    expect(inputs).toEqual({
      ref: "feature",
      "failing-commit": SHA,
      publisher: "app",
      "failed-run-id": "",
      trigger: "comment",
      "request-id": "req-1",
      "comment-target": "9",
      "base-branch": "feature",
      "test-command": "",
      "max-iterations": "4",
      llm: "off",
    });
  });
});

describe("reading payloads", () => {
  const target = { owner: "octo-org", repo: "svc" };

  it("reads a workflow_run failure, including a fork's head repository", () => {
    const event = readWorkflowRunEvent(
      workflowRunCompleted(target, { sha: SHA, runId: 12, headRepository: "eve/svc" }),
    );
    expect(event).toMatchObject({
      action: "completed",
      runId: 12,
      headSha: SHA,
      headBranch: "main",
      conclusion: "failure",
      fromFork: true,
      installationId: 1,
    });
    expect(event?.repository).toEqual({
      owner: "octo-org",
      repo: "svc",
      fullName: "octo-org/svc",
      defaultBranch: "main",
    });
  });

  it("reads check suites, comments and installations", () => {
    expect(readCheckSuiteEvent(checkSuiteCompleted(target, { sha: SHA, appSlug: "circleci" }))).toMatchObject(
      { appSlug: "circleci", conclusion: "failure", fromFork: false },
    );
    expect(
      readIssueCommentEvent(
        issueCommentCreated(target, {
          issueNumber: 3,
          body: "/rfsn fix",
          author: "al",
          commentId: 8,
          pullRequest: true,
        }),
      ),
    ).toMatchObject({
      commentId: 8,
      issueNumber: 3,
      isPullRequest: true,
      authorLogin: "al",
    });
    expect(readInstallationEvent(installationCreated(["a/b", "bad name"]))).toEqual({
      action: "created",
      installationId: 1,
      repositories: ["a/b"],
    });
  });

  it.each([
    null,
    3,
    "x",
    [],
    {},
    { action: "completed" },
    { action: "completed", repository: {}, sender: {} },
  ])("returns null for malformed payload %j", (payload) => {
    expect(readWorkflowRunEvent(payload)).toBeNull();
    expect(readCheckSuiteEvent(payload)).toBeNull();
    expect(readIssueCommentEvent(payload)).toBeNull();
    expect(readInstallationEvent(payload)).toBeNull();
  });

  it("refuses a head sha that is not a commit id", () => {
    expect(readWorkflowRunEvent(workflowRunCompleted(target, { sha: "main" }))).toBeNull();
  });
});

describe("repair runs", () => {
  it("finds the request id in the run title", () => {
    expect(requestIdFromRunTitle("RFSN repair 3f2a-11")).toBe("3f2a-11");
    expect(requestIdFromRunTitle("RFSN repair ")).toBeNull();
    expect(requestIdFromRunTitle("CI")).toBeNull();
  });

  it("maps run conclusions to check run conclusions and request states", () => {
    expect(repairConclusion("success")).toMatchObject({ conclusion: "success", status: "completed" });
    expect(repairConclusion("cancelled")).toMatchObject({ conclusion: "cancelled", status: "cancelled" });
    expect(repairConclusion("timed_out")).toMatchObject({ conclusion: "timed_out", status: "failed" });
    expect(repairConclusion("failure")).toMatchObject({ conclusion: "neutral", status: "failed" });
  });
});

describe("checkOffSwitches", () => {
  const on = { enabled: true, triggers: { ciFailure: true, comment: true } };
  const facts = (overrides: Partial<Parameters<typeof checkOffSwitches>[0]> = {}) => ({
    trigger: "ci-failure" as const,
    config: on,
    pausedBy: null,
    pullRequestsLastHour: 0,
    hourlyPullRequestCap: 5,
    ...overrides,
  });

  it("lets a repair through when every switch is on and the cap is not reached", () => {
    expect(checkOffSwitches(facts())).toEqual({ act: true });
    expect(checkOffSwitches(facts({ trigger: "comment", pullRequestsLastHour: 4 }))).toEqual({ act: true });
  });

  it("refuses with the strongest switch first: enabled, then the trigger's toggle, then the pause, then the cap", () => {
    const everythingOff = facts({
      config: { enabled: false, triggers: { ciFailure: false, comment: false } },
      pausedBy: "mia",
      pullRequestsLastHour: 5,
    });
    expect(checkOffSwitches(everythingOff)).toMatchObject({
      act: false,
      decision: "ignored_disabled",
      refusal: "disabled",
    });
    expect(
      checkOffSwitches({
        ...everythingOff,
        config: { ...on, triggers: { ciFailure: false, comment: true } },
      }),
    ).toMatchObject({
      refusal: "trigger_off",
      reason: expect.stringContaining("`triggers.ci_failure: false`"),
    });
    expect(checkOffSwitches({ ...everythingOff, config: on })).toMatchObject({
      decision: "ignored_paused",
      refusal: "paused",
    });
    expect(checkOffSwitches(facts({ pullRequestsLastHour: 5 }))).toMatchObject({
      decision: "rate_limited",
      refusal: "hourly_pr_cap",
    });
  });

  it("pauses automatic repairs only: an explicit /rfsn fix still passes a pause, not a trigger toggle", () => {
    expect(checkOffSwitches(facts({ trigger: "comment", pausedBy: "mia" }))).toEqual({ act: true });
    expect(
      checkOffSwitches(
        facts({
          trigger: "comment",
          config: { enabled: true, triggers: { ciFailure: true, comment: false } },
        }),
      ),
    ).toMatchObject({ refusal: "trigger_off", reason: expect.stringContaining("`comment` trigger is off") });
  });
});
