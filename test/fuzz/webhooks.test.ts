// Fuzzes the App's webhook handling: random and mutated payloads through the pure readers, the command parser and the running server.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AppServer } from "../../src/app/app-server.js";
import { parseRfsnCommand } from "../../src/app/command-parser.js";
import { HANDLED_EVENTS } from "../../src/app/rfsn-app.js";
import {
  readCheckSuiteEvent,
  readInstallationEvent,
  readIssueCommentEvent,
  readWorkflowRunEvent,
} from "../../src/app/webhook-payloads.js";
import { type Database, openDatabase } from "../../src/store/database.js";
import { example, postWebhook } from "../fixtures/app/webhook-payloads.js";
import { startTestAppServer } from "../helpers/app-server.js";
import { type FakeGitHub, startFakeGitHub } from "../helpers/fake-github/index.js";

type Json = Record<string, unknown>;
const SEED = 20_240_611;
const SECRET = "fuzz-secret";

const EXAMPLES: Array<[string, Json]> = [
  ["workflow_run", example("workflow_run", "completed")],
  ["check_suite", example("check_suite", "completed")],
  ["issue_comment", example("issue_comment", "created")],
  ["installation", example("installation", "created")],
  ["installation_repositories", example("installation_repositories", "added")],
];

/** Paths to every value inside a JSON document (objects and arrays), the root included. */
function pathsOf(
  value: unknown,
  prefix: Array<string | number> = [],
  out: Array<Array<string | number>> = [],
) {
  out.push(prefix);
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) pathsOf(item, [...prefix, index], out);
  } else if (value && typeof value === "object")
    for (const [key, item] of Object.entries(value)) pathsOf(item, [...prefix, key], out);
  return out;
}

/** Replaces (or deletes, when `replacement` is undefined) the value at `path`. */
function mutate(document: Json, path: Array<string | number>, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(document);
  let node: unknown = copy;
  for (const key of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[key];
  const last = path[path.length - 1] as string | number;
  if (replacement === undefined && !Array.isArray(node)) delete (node as Json)[last as string];
  else (node as Record<string | number, unknown>)[last] = replacement;
  return copy;
}

/** A real payload with one to three values replaced by random JSON (or removed). */
const mutatedPayload = fc
  .tuple(
    fc.constantFrom(...EXAMPLES),
    fc.array(fc.tuple(fc.nat(), fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined })), {
      minLength: 1,
      maxLength: 3,
    }),
  )
  .map(([[event, payload], edits]) => {
    let document: unknown = payload;
    for (const [pick, value] of edits) {
      if (!document || typeof document !== "object" || Array.isArray(document)) break;
      const paths = pathsOf(document);
      document = mutate(document as Json, paths[pick % paths.length] ?? [], value);
    }
    return { event, payload: document };
  });

const anyPayload = fc.oneof(
  mutatedPayload.map((entry) => entry.payload),
  fc.jsonValue({ maxDepth: 4 }),
  fc.anything({ maxDepth: 3 }),
);

describe("the pure webhook readers", () => {
  it("never throw on random or mutated payloads, and what they return is well-formed", () => {
    fc.assert(
      fc.property(anyPayload, (payload) => {
        const run = readWorkflowRunEvent(payload);
        if (run) {
          expect(run.headSha).toMatch(/^[0-9a-f]{40}$/);
          expect(Number.isSafeInteger(run.runId) && run.runId > 0).toBe(true);
          expect(run.repository.fullName.length).toBeGreaterThan(0);
        }
        const suite = readCheckSuiteEvent(payload);
        if (suite) expect(suite.headSha).toMatch(/^[0-9a-f]{40}$/);
        const comment = readIssueCommentEvent(payload);
        if (comment) {
          expect(typeof comment.body).toBe("string");
          expect(comment.issueNumber).toBeGreaterThan(0);
          expect(comment.authorLogin.length).toBeGreaterThan(0);
        }
        const installation = readInstallationEvent(payload);
        if (installation)
          for (const name of installation.repositories) expect(name).toMatch(/^[^/\s]+\/[^/\s]+$/);
      }),
      { numRuns: 1500, seed: SEED },
    );
  });

  it("still read the unmodified real payloads", () => {
    expect(readWorkflowRunEvent(EXAMPLES[0]?.[1])).not.toBeNull();
    expect(readCheckSuiteEvent(EXAMPLES[1]?.[1])).not.toBeNull();
    expect(readIssueCommentEvent(EXAMPLES[2]?.[1])).not.toBeNull();
    expect(readInstallationEvent(EXAMPLES[3]?.[1])).not.toBeNull();
  });
});

describe("the /rfsn command parser", () => {
  const KINDS = ["fix", "help", "status", "cancel", "invalid"];
  const word = fc.oneof(
    fc.constantFrom(
      "fix",
      "help",
      "status",
      "cancel",
      "--test",
      "--max-iterations",
      "--no-llm",
      "--test=",
      '"',
      "'",
      "\\",
      "0",
      "1001",
      "5",
    ),
    fc.string({ maxLength: 12 }),
  );

  it("never throws and answers null or a known command for any comment", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.string({ unit: "binary", maxLength: 200 }),
          fc.array(word, { maxLength: 8 }).map((words) => `/rfsn ${words.join(" ")}`),
          fc
            .tuple(fc.string({ maxLength: 40 }), fc.array(word, { maxLength: 6 }))
            .map(
              ([before, words]) =>
                `${before}\n> /rfsn fix\n\`\`\`\n/rfsn cancel\n\`\`\`\n/RFSN ${words.join(" ")}`,
            ),
        ),
        (body) => {
          const command = parseRfsnCommand(body);
          if (command === null) return;
          expect(KINDS).toContain(command.kind);
          if (command.kind === "invalid") expect(command.reason.length).toBeGreaterThan(0);
          if (command.kind === "fix") {
            const { maxIterations, testCommand } = command.options;
            if (maxIterations !== null) expect(maxIterations >= 1 && maxIterations <= 1000).toBe(true);
            if (testCommand !== null) expect(testCommand.length).toBeLessThanOrEqual(500);
          }
        },
      ),
      { numRuns: 3000, seed: SEED },
    );
  });

  it("ignores any comment without a /rfsn line", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (body) => {
        fc.pre(!/\/rfsn/i.test(body));
        expect(parseRfsnCommand(body)).toBeNull();
      }),
      { numRuns: 1000, seed: SEED },
    );
  });
});

describe("the running server under random signed webhooks", () => {
  let fake: FakeGitHub;
  let server: AppServer;
  let database: Database;
  let directory: string;

  beforeAll(async () => {
    fake = await startFakeGitHub();
    fake.addRepository({
      owner: "octo-org",
      name: "fuzzed",
      permissions: { alice: "write" },
      workflows: ["rfsn.yml", "ci.yml"],
    });
    directory = mkdtempSync(join(tmpdir(), "rfsn-fuzz-"));
    database = openDatabase(join(directory, "app.db"));
    server = await startTestAppServer({
      webhookSecret: SECRET,
      githubBaseUrl: `${fake.url}/api/v3`,
      database,
      version: "fuzz",
      appSlug: "rfsn",
    });
  });

  afterAll(async () => {
    await server.close();
    database.close();
    await fake.close();
    rmSync(directory, { recursive: true, force: true });
  });

  afterEach(() => {
    fake.assertNoViolations();
  });

  it("answers every one without a 5xx, keeps serving, and dispatches nothing", async () => {
    // Random documents, and real payloads mutated after being pointed at a repository GitHub does not know.
    const ghostPayload = mutatedPayload.map(({ event, payload }) => {
      if (payload && typeof payload === "object" && !Array.isArray(payload)) {
        const repository = (payload as Json).repository;
        if (repository && typeof repository === "object" && !Array.isArray(repository)) {
          Object.assign(repository, {
            full_name: "ghost/nowhere",
            name: "nowhere",
            owner: { login: "ghost" },
          });
        }
      }
      return { event, payload };
    });
    const bodies = fc.sample(
      fc.oneof(
        ghostPayload.map(({ event, payload }) => ({ event, body: JSON.stringify(payload) ?? "null" })),
        fc.record({
          event: fc.constantFrom(...HANDLED_EVENTS, "push", "star", ""),
          body: fc.oneof(
            fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? "null"),
            fc.string(),
          ),
        }),
      ),
      { numRuns: 300, seed: SEED },
    );
    const statuses: number[] = [];
    for (let start = 0; start < bodies.length; start += 20) {
      const batch = bodies.slice(start, start + 20);
      const answers = await Promise.all(
        batch.map(({ event, body }) =>
          postWebhook(server.url, SECRET, event || "ping", null, { rawBody: body, deliveryId: randomUUID() }),
        ),
      );
      statuses.push(...answers.map((answer) => answer.status));
    }
    await server.idle();
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    expect(new Set(statuses).size).toBeGreaterThan(0);
    for (const status of statuses) expect([200, 202, 400]).toContain(status);
    expect(fake.dispatches).toHaveLength(0);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});
