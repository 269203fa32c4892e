// The Action pushes its metrics to a Pushgateway (a local recording HTTP server) when `pushgateway-url` is set.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readActionInputs, readRunnerContext } from "../../src/action/inputs.js";
import { type ActionEffects, runAction } from "../../src/action/run.js";
import { createOctokit } from "../../src/github/octokit.js";
import { type FakeGitHub, startFakeGitHub } from "../helpers/fake-github/index.js";
import { repositoryFromFixture } from "../helpers/git-fixtures.js";

const TOKEN = "ghs_pushgatewayTestToken0123456789abcdef";

interface RecordedPush {
  method: string;
  path: string;
  contentType: string;
  body: string;
}

let fake: FakeGitHub;
let gateway: Server;
let gatewayUrl = "";
let gatewayStatus = 200;
const pushes: RecordedPush[] = [];
const temporary: string[] = [];
let counter = 0;

beforeAll(async () => {
  fake = await startFakeGitHub();
  gateway = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      pushes.push({
        method: request.method ?? "",
        path: request.url ?? "",
        contentType: String(request.headers["content-type"] ?? ""),
        body: Buffer.concat(chunks).toString("utf8"),
      });
      response
        .writeHead(gatewayStatus, { "content-type": "text/plain" })
        .end(gatewayStatus === 200 ? "" : "gateway broke\n");
    });
  });
  await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
  gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => gateway.close(() => resolve()));
  await fake.close();
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  pushes.length = 0;
  gatewayStatus = 200;
});

/** Runs the Action in-process on the green fixture, as the runner would set it up. */
async function runOnGreenProject(extraInputs: Record<string, string>) {
  counter += 1;
  const name = `green-${counter}`;
  const { workspace, bare, sha } = repositoryFromFixture("test/fixtures/sessions/green");
  const runnerTemp = mkdtempSync(join(tmpdir(), "rfsn-pushgateway-runner-"));
  temporary.push(runnerTemp, join(workspace, ".."));
  fake.addRepository({ owner: "octo", name, defaultBranch: "main", gitRemote: bare });
  fake.addIssue("octo", name, 3, { title: "CI is red" });
  const inputs = readActionInputs(
    (input) =>
      ({
        token: TOKEN,
        "comment-target": "3",
        "request-id": `req-${counter}`,
        "memory-cache": "false",
        "time-budget-minutes": "1",
        ...extraInputs,
      })[input] ?? "",
  );
  const context = readRunnerContext({
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: `octo/${name}`,
    GITHUB_SHA: sha,
    GITHUB_REF_NAME: "main",
    GITHUB_API_URL: fake.url,
    GITHUB_SERVER_URL: "https://github.example",
    GITHUB_RUN_ID: "5150",
    RUNNER_TEMP: runnerTemp,
  });
  const warnings: string[] = [];
  const outputs: Record<string, string> = {};
  const effects: ActionEffects = {
    info: () => {},
    warning: (message) => warnings.push(message),
    setOutput: (key, value) => {
      outputs[key] = value;
    },
    writeJobSummary: async () => {},
  };
  const octokit = createOctokit({ token: TOKEN, baseUrl: context.apiUrl, paceWrites: false, retries: 0 });
  const result = await runAction(inputs, context, octokit, effects);
  return { name, result, warnings, outputs };
}

function groupingOf(path: string): Record<string, string> {
  const [, rest = ""] = path.split("/metrics/");
  const parts = rest.split("/");
  const labels: Record<string, string> = {};
  for (let index = 0; index < parts.length; index += 2) {
    const key = parts[index] ?? "";
    const value = parts[index + 1] ?? "";
    if (key.endsWith("@base64")) labels[key.slice(0, -7)] = Buffer.from(value, "base64url").toString("utf8");
    else labels[key] = decodeURIComponent(value);
  }
  return labels;
}

describe("the Action and the Pushgateway", () => {
  it("PUTs the registry to /metrics/job/rfsn_action grouped by repository once the run is published", async () => {
    const { name, result, warnings, outputs } = await runOnGreenProject({
      "pushgateway-url": `${gatewayUrl}/`,
    });
    expect(result.report.outcome).toBe("no_failure");
    expect(outputs.outcome).toBe("no_failure");
    expect(warnings).toEqual([]);
    expect(pushes).toHaveLength(1);
    const [push] = pushes;
    expect(push?.method).toBe("PUT");
    expect(push?.path.startsWith("/metrics/job/rfsn_action/")).toBe(true);
    expect(groupingOf(push?.path ?? "")).toEqual({ job: "rfsn_action", repository: `octo/${name}` });
    expect(push?.contentType).toMatch(/^text\/plain/);
    expect(push?.body).toMatch(/^# TYPE rfsn_repair_outcomes_total counter$/m);
    expect(push?.body).toMatch(/^rfsn_repair_outcomes_total\{outcome="no_failure"\} [1-9]/m);
    expect(push?.body).toMatch(/^rfsn_tests_run_total\{outcome="passed"\} [1-9]/m);
    expect(push?.body).not.toContain(TOKEN);
  });

  it("pushes nothing without pushgateway-url", async () => {
    const { result } = await runOnGreenProject({});
    expect(result.report.outcome).toBe("no_failure");
    expect(pushes).toEqual([]);
  });

  it("only warns when the Pushgateway refuses the push, and still finishes the run", async () => {
    gatewayStatus = 500;
    const { result, warnings, outputs } = await runOnGreenProject({ "pushgateway-url": gatewayUrl });
    expect(pushes).toHaveLength(1);
    expect(result.report.outcome).toBe("no_failure");
    expect(outputs.outcome).toBe("no_failure");
    expect(warnings.join("\n")).toMatch(/pushing metrics failed: .*answered 500/);
  });
});
