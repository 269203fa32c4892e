// The fake GitHub itself: it rejects calls GitHub would not understand, and its scripted faults drive the client's retries.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { dispatchRepairWorkflow } from "../../src/github/dispatch.js";
import { createOctokit } from "../../src/github/octokit.js";
import { type FakeGitHub, faults, startFakeGitHub } from "../helpers/fake-github/index.js";
import { findOperation, validateResponse } from "../helpers/fake-github/openapi-description.js";
import { recordingLog } from "../helpers/recording-log.js";

let fake: FakeGitHub;
const owner = "octo-org";
const repo = "fake-checks";

beforeAll(async () => {
  fake = await startFakeGitHub();
  fake.addRepository({ owner, name: repo, workflows: ["rfsn.yml"], permissions: { alice: "write" } });
  fake.addIssue(owner, repo, 1);
});

afterAll(async () => {
  await fake.close();
});

afterEach(() => {
  fake.clearFaults();
  fake.assertNoViolations();
});

async function raw(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: { message?: string } }> {
  const response = await fetch(`${fake.url}${path}`, {
    method,
    headers: { authorization: "token ghs_test", "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as { message?: string } };
}

describe("request validation against GitHub's OpenAPI description", () => {
  it("rejects a path GitHub does not have and records a violation", async () => {
    const answer = await raw("GET", `/repos/${owner}/${repo}/pull-requests`);
    expect(answer.status).toBe(400);
    expect(answer.json.message).toMatch(/not an operation in GitHub's REST API/);
    const [violation] = fake.takeViolations();
    expect(violation?.message).toMatch(/GET \/repos\/octo-org\/fake-checks\/pull-requests/);
  });

  it("rejects a verb GitHub does not have on a known path", async () => {
    expect((await raw("DELETE", `/repos/${owner}/${repo}/pulls`)).status).toBe(400);
    expect(fake.takeViolations()).toHaveLength(1);
  });

  it("rejects an unknown body field, a missing required field and a wrong type", async () => {
    const unknown = await raw("POST", `/repos/${owner}/${repo}/issues/1/comments`, {
      body: "hi",
      bodyy: "typo",
    });
    const missing = await raw("POST", `/repos/${owner}/${repo}/issues/1/comments`, {});
    const wrongType = await raw("POST", `/repos/${owner}/${repo}/pulls`, {
      head: "x",
      base: "main",
      draft: "yes",
    });
    expect([unknown.status, missing.status, wrongType.status]).toEqual([400, 400, 400]);
    const messages = fake.takeViolations().map((violation) => violation.message);
    expect(messages[0]).toMatch(/must NOT have additional properties \(bodyy\)/);
    expect(messages[1]).toMatch(/must have required property 'body'/);
    expect(messages[2]).toMatch(/\/draft must be boolean/);
    expect(fake.repository(owner, repo).comments).toHaveLength(0);
  });

  it("rejects a path parameter or query parameter of the wrong kind", async () => {
    expect((await raw("GET", `/repos/${owner}/${repo}/pulls/abc`)).status).toBe(400);
    expect((await raw("GET", `/repos/${owner}/${repo}/pulls?colour=blue`)).status).toBe(400);
    const messages = fake.takeViolations().map((violation) => violation.message);
    expect(messages[0]).toMatch(/pull_number must be integer/);
    expect(messages[1]).toMatch(/additional properties \(colour\)/);
  });

  it("checks the fake's own answers: a payload missing a required field is caught", () => {
    const operation = findOperation("issues/create-comment");
    if (!operation) throw new Error("operation missing from the description");
    expect(validateResponse(operation, 201, { id: 1 }).message).toMatch(/must have required property/);
    expect(validateResponse(operation, 299, {}).message).toMatch(/not documented/);
    expect(validateResponse(operation, 404, { message: "Not Found" }).ok).toBe(true);
  });

  it("serves the same API under /api/v3 as GitHub Enterprise does", async () => {
    const answer = await raw("GET", `/api/v3/repos/${owner}/${repo}`);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ full_name: `${owner}/${repo}`, default_branch: "main", fork: false });
  });

  it("answers the app routes only with a JWT", async () => {
    expect((await raw("POST", "/app/installations/1/access_tokens")).status).toBe(401);
    expect((await raw("GET", "/app")).status).toBe(401);
  });

  it("serves the read-only routes for workflows, branches, refs and the rate limit with documented shapes", async () => {
    const workflows = await raw("GET", `/repos/${owner}/${repo}/actions/workflows`);
    expect(workflows.json).toMatchObject({
      total_count: 1,
      workflows: [{ path: ".github/workflows/rfsn.yml" }],
    });
    expect((await raw("GET", `/repos/${owner}/${repo}/actions/workflows/missing.yml`)).status).toBe(404);
    const branch = (await raw("GET", `/repos/${owner}/${repo}/branches/main`)).json as {
      commit?: { sha?: string };
    };
    const ref = (await raw("GET", `/repos/${owner}/${repo}/git/ref/heads/main`)).json as {
      object?: { sha?: string };
    };
    expect(branch.commit?.sha).toBe(ref.object?.sha);
    expect((await raw("GET", "/rate_limit")).status).toBe(200);
    expect((await raw("GET", `/repos/${owner}/unknown-repo`)).status).toBe(404);
  });

  it("answers a workflow dispatch that asks for run details with the run id", async () => {
    const answer = await raw("POST", `/repos/${owner}/${repo}/actions/workflows/rfsn.yml/dispatches`, {
      ref: "main",
      inputs: { request_id: "r" },
      return_run_details: true,
    });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ workflow_run_id: fake.dispatches.at(-1)?.runId });
  });
});

describe("scripted faults and the client's resilience", () => {
  it("waits for retry-after on a secondary rate limit, logs a warning, then succeeds", async () => {
    const log = recordingLog();
    const octokit = createOctokit({ token: "t", baseUrl: fake.url, paceWrites: false, log });
    fake.addFault(faults.secondaryRateLimit("repos/get", 1));
    const started = Date.now();
    const { data } = await octokit.rest.repos.get({ owner, repo });
    expect(data.name).toBe(repo);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(log.warnings.join("\n")).toMatch(/secondary rate limit on GET .*retrying after 1 s/);
  });

  it("waits for the reset of a primary rate limit", async () => {
    const log = recordingLog();
    const octokit = createOctokit({ token: "t", baseUrl: fake.url, paceWrites: false, log });
    fake.addFault(faults.primaryRateLimit("repos/get", 1));
    await octokit.rest.repos.get({ owner, repo });
    expect(log.warnings.join("\n")).toMatch(/primary rate limit/);
  });

  it("gives up at once when GitHub asks to wait longer than the bound", async () => {
    const log = recordingLog();
    const octokit = createOctokit({
      token: "t",
      baseUrl: fake.url,
      paceWrites: false,
      log,
      maxRetryAfterSeconds: 5,
    });
    fake.addFault(faults.secondaryRateLimit("repos/get", 120));
    const started = Date.now();
    await expect(octokit.rest.repos.get({ owner, repo })).rejects.toMatchObject({ status: 403 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(log.warnings.join("\n")).toMatch(/giving up \(retry-after 120 s/);
  });

  it("times out a request that hangs and counts it", async () => {
    const calls: string[] = [];
    const octokit = createOctokit({
      token: "t",
      baseUrl: fake.url,
      requestTimeoutMs: 300,
      retries: 0,
      onApiCall: (status) => calls.push(status),
    });
    fake.addFault(faults.hang("repos/get"));
    await expect(octokit.rest.repos.get({ owner, repo })).rejects.toThrow(/did not answer within 300 ms/);
    expect(calls).toEqual(["timeout"]);
  });

  it("counts every HTTP attempt with its status, retries included", async () => {
    const calls: string[] = [];
    const octokit = createOctokit({
      token: "t",
      baseUrl: fake.url,
      paceWrites: false,
      onApiCall: (status) => calls.push(status),
    });
    fake.addFault(faults.serverError("actions/create-workflow-dispatch", 500));
    await dispatchRepairWorkflow(octokit, { owner, repo, ref: "main", inputs: {} });
    expect(calls).toEqual(["500", "204"]);
  });

  it("surfaces a persistent 502 after the configured retries", async () => {
    const octokit = createOctokit({ token: "t", baseUrl: fake.url, paceWrites: false, retries: 1 });
    fake.addFault(faults.serverError("repos/get", 502, Number.POSITIVE_INFINITY));
    await expect(octokit.rest.repos.get({ owner, repo })).rejects.toMatchObject({ status: 502 });
    expect(fake.requests.filter((request) => request.status === 502).length).toBeGreaterThanOrEqual(2);
  });

  it("serves a scripted 404 and 422 with GitHub's error body", async () => {
    const octokit = createOctokit({ token: "t", baseUrl: fake.url, paceWrites: false });
    fake.addFault(faults.notFound("repos/get"));
    await expect(octokit.rest.repos.get({ owner, repo })).rejects.toMatchObject({ status: 404 });
    fake.addFault(
      faults.validationFailed("issues/create-comment", "Validation Failed", [
        { code: "custom", message: "Body is too long" },
      ]),
    );
    await expect(
      octokit.rest.issues.createComment({ owner, repo, issue_number: 1, body: "x" }),
    ).rejects.toMatchObject({ status: 422 });
  });

  it("delays an answer without failing it", async () => {
    const octokit = createOctokit({ token: "t", baseUrl: fake.url });
    fake.addFault(faults.delay("repos/get", 200));
    const started = Date.now();
    await octokit.rest.repos.get({ owner, repo });
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
  });
});
