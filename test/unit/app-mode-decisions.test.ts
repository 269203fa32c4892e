// App mode's pure decisions: which run is the dispatched one, what the check run says, the relay's budgets and requests.
import { describe, expect, it } from "vitest";
import { verdictFor } from "../../src/app/check-run-lifecycle.js";
import { readAppEnvironment } from "../../src/app/environment.js";
import { exhaustedBudget, expectedWorkflowRef, readChatRequest } from "../../src/app/llm-relay.js";
import { fixBranchName } from "../../src/app/repair-publication.js";
import { checkRepairRun, type ObservedRun } from "../../src/app/repair-run-identity.js";
import { emptyRepairReport } from "../../src/core/report.js";
import { oidcTokenSource, tokenExpiry } from "../../src/runtime/llm/app-relay-client.js";
import type { RepairDispatch } from "../../src/store/repair-dispatches.js";

const SHA = "f".repeat(40);

const dispatch: RepairDispatch = {
  requestId: "req-1",
  repo: "Octo/Shop",
  failingCommit: SHA,
  branch: "main",
  pullRequest: null,
  headRepo: null,
  maintainerCanModify: null,
  baseBranch: "main",
  workflowPath: ".github/workflows/rfsn.yml",
  dispatchRef: "main",
  runId: null,
  runUrl: null,
  phase: null,
  finishedAt: null,
  publication: null,
  dispatchedAt: 0,
};

const run: ObservedRun = {
  repository: "octo/shop",
  runId: 42,
  workflowPath: ".github/workflows/rfsn.yml",
  headBranch: "main",
  triggerEvent: "workflow_dispatch",
  actorLogin: "rfsn[bot]",
};

describe("checkRepairRun", () => {
  it("accepts the dispatched run (repository names compared without case), also before any run is bound", () => {
    expect(checkRepairRun(dispatch, run, "rfsn")).toEqual({ ok: true });
    expect(checkRepairRun({ ...dispatch, runId: 42 }, run, "rfsn")).toEqual({ ok: true });
  });

  it("accepts a payload that does not name the trigger or the actor (older GitHub Enterprise)", () => {
    expect(checkRepairRun(dispatch, { ...run, triggerEvent: null, actorLogin: null }, "rfsn")).toEqual({
      ok: true,
    });
  });

  it.each([
    [{ repository: "eve/shop" }, /belongs to Octo\/Shop/],
    [{ workflowPath: ".github/workflows/rfsn.yml@refs/heads/evil" }, /not \.github\/workflows\/rfsn\.yml/],
    [{ workflowPath: ".github/workflows/ci.yml" }, /runs \.github\/workflows\/ci\.yml/],
    [{ headBranch: "evil" }, /ran on evil/],
    [{ headBranch: null }, /ran on no branch/],
    [{ triggerEvent: "push" }, /started by push/],
    [{ actorLogin: "mallory" }, /started by mallory, not rfsn\[bot\]/],
    [{ actorLogin: "rfsn-evil[bot]" }, /not rfsn\[bot\]/],
  ] as Array<[Partial<ObservedRun>, RegExp]>)("refuses %o", (change, reason) => {
    const identity = checkRepairRun(dispatch, { ...run, ...change }, "rfsn");
    expect(identity.ok).toBe(false);
    expect(identity.ok ? "" : identity.reason).toMatch(reason);
  });

  it("refuses a second run once the request is bound", () => {
    const identity = checkRepairRun({ ...dispatch, runId: 41 }, run, "rfsn");
    expect(identity.ok ? "" : identity.reason).toMatch(/bound to run 41; run 42 claims it too/);
  });
});

describe("verdictFor", () => {
  const report = emptyRepairReport({
    sessionId: "s",
    outcome: "fixed",
    outcomeReason: "r",
    startedAt: "2026-12-07T00:00:00Z",
  });

  it("links the fix: a pull request, or the commit pushed to a fork's branch", () => {
    expect(
      verdictFor(
        {
          kind: "published",
          report,
          commit: SHA,
          url: "https://github.com/o/r/pull/3",
          where: "pull_request",
        },
        "success",
      ),
    ).toMatchObject({
      conclusion: "success",
      detailsUrl: "https://github.com/o/r/pull/3",
      summary: expect.stringContaining("opened"),
    });
    expect(
      verdictFor(
        {
          kind: "published",
          report,
          commit: SHA,
          url: "https://github.com/e/r/commit/x",
          where: "fork_branch",
        },
        "success",
      ),
    ).toMatchObject({ conclusion: "success", summary: expect.stringContaining("pushed the fix fffffff") });
  });

  it("never shows green for a run that left no acceptable result, whatever the run's own conclusion", () => {
    expect(verdictFor({ kind: "artifact_rejected", reason: "x" }, "success")).toMatchObject({
      conclusion: "failure",
      title: "Repair result refused",
    });
    expect(verdictFor({ kind: "artifact_rejected", reason: "x" }, "failure")).toMatchObject({
      conclusion: "failure",
      title: "Repair run failed without a result",
    });
    expect(
      verdictFor({ kind: "report", report: { ...report, outcome: "no_failure" } }, "success").conclusion,
    ).toBe("neutral");
    expect(verdictFor({ kind: "publish_failed", report, reason: "x" }, "success").conclusion).toBe("failure");
  });
});

describe("the relay's pure parts", () => {
  it("expects the repair workflow on the dispatched ref in both workflow claims", () => {
    expect(expectedWorkflowRef(dispatch)).toBe("Octo/Shop/.github/workflows/rfsn.yml@refs/heads/main");
  });

  it("says which daily budget is used up, or null", () => {
    const budgets = { callsPerDay: 10, tokensPerDay: 1000, dollarsPerDay: 1 };
    expect(exhaustedBudget({ calls: 9, tokens: 999, dollars: 0.99 }, budgets)).toBeNull();
    expect(exhaustedBudget({ calls: 10, tokens: 0, dollars: 0 }, budgets)).toMatch(/10 of 10 calls/);
    expect(exhaustedBudget({ calls: 0, tokens: 1000, dollars: 0 }, budgets)).toMatch(/tokens/);
    expect(exhaustedBudget({ calls: 0, tokens: 0, dollars: 1 }, budgets)).toMatch(/\$1\.00 of \$1\.00/);
    expect(
      exhaustedBudget({ calls: 0, tokens: 0, dollars: 0 }, { ...budgets, callsPerDay: 0 }),
    ).not.toBeNull();
  });

  it("reads OpenAI chat requests, joins system messages, caps max_tokens and ignores the asked model", () => {
    expect(
      readChatRequest({
        model: "gpt-5-most-expensive",
        messages: [
          { role: "system", content: "a" },
          { role: "developer", content: "b" },
          { role: "user", content: "q" },
        ],
        max_completion_tokens: 1_000_000,
      }),
    ).toEqual({
      system: "a\n\nb",
      messages: [{ role: "user", content: "q" }],
      maxTokens: 16_384,
      temperature: 0,
    });
  });

  it.each([
    [{}, /messages/],
    [{ messages: [{ role: "tool", content: "x" }] }, /role/],
    [{ messages: [{ role: "user", content: [{ type: "text" }] }] }, /string content/],
    [{ messages: [{ role: "system", content: "only system" }] }, /user message/],
    [{ messages: [{ role: "user", content: "q" }], max_tokens: -1 }, /max_tokens/],
    [{ messages: [{ role: "user", content: "q" }], temperature: 9 }, /temperature/],
  ])("refuses %o", (body, message) => {
    expect(() => readChatRequest(body)).toThrow(message);
  });
});

describe("App settings of the relay", () => {
  const base = {
    APP_ID: "1",
    PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----\nx\n-----END RSA PRIVATE KEY-----",
    WEBHOOK_SECRET: "s",
  };

  it("is off without RFSN_LLM_API_KEY and on with defaults when it is set", () => {
    expect(readAppEnvironment(base).llmRelay).toBeNull();
    expect(readAppEnvironment({ ...base, RFSN_LLM_API_KEY: "sk-1" }).llmRelay).toEqual({
      apiKey: "sk-1",
      baseUrl: "https://api.openai.com/v1",
      model: "gpt-4o-mini",
      callsPerDay: 500,
      tokensPerDay: 2_000_000,
      dollarsPerDay: 5,
      oidcIssuer: "https://token.actions.githubusercontent.com",
      oidcAudience: "rfsn",
    });
  });

  it("reports invalid budgets and URLs, every one of them", () => {
    let message = "";
    try {
      readAppEnvironment({
        ...base,
        RFSN_LLM_API_KEY: "sk-1",
        RFSN_LLM_DAILY_DOLLARS: "lots",
        RFSN_LLM_DAILY_CALLS: "-3",
        RFSN_OIDC_ISSUER: "token.example.com",
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/RFSN_LLM_DAILY_DOLLARS must be a number of dollars/);
    expect(message).toMatch(/RFSN_LLM_DAILY_CALLS must be a whole number/);
    expect(message).toMatch(/RFSN_OIDC_ISSUER must be an http\(s\) URL/);
  });
});

describe("the runner's OIDC token source", () => {
  const jwt = (exp: number) => `h.${Buffer.from(JSON.stringify({ exp })).toString("base64url")}.s`;

  it("reads exp without trusting the token, 0 when unreadable", () => {
    expect(tokenExpiry(jwt(1_000))).toBe(1_000_000);
    expect(tokenExpiry("not-a-jwt")).toBe(0);
  });

  it("asks for audience rfsn once and again only shortly before the token expires", async () => {
    let now = 0;
    const asked: string[] = [];
    const source = oidcTokenSource(
      async (audience) => {
        asked.push(audience);
        return jwt(300 + asked.length * 1000);
      },
      () => now,
    );
    await source();
    await source();
    expect(asked).toEqual(["rfsn"]);
    now = 1_300_000 - 59_000;
    await source();
    expect(asked).toEqual(["rfsn", "rfsn"]);
  });
});

describe("fix branch names", () => {
  it("are rfsn/fix/<sha7>-<request> with unsafe characters replaced", () => {
    expect(fixBranchName(SHA, "a b/../c")).toBe("rfsn/fix/fffffff-a-b-c");
    expect(fixBranchName(SHA, "///")).toBe("rfsn/fix/fffffff-app");
  });
});
