// The App's webhook queue over real HTTP: immediate acknowledgement, overflow into the journal, 503 + retry-after when both are full, replay after a cut-short close.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ApplicationFunction } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppServer, AppServerOptions } from "../../src/app/app-server.js";
import { GroupedCommit } from "../../src/app/grouped-commit.js";
import { IntakePressure } from "../../src/app/intake-pressure.js";
import { WorkQueue } from "../../src/app/webhook-queue.js";
import { openDatabase } from "../../src/store/database.js";
import { postWebhook, sign } from "../fixtures/app/webhook-payloads.js";
import { startTestAppServer } from "../helpers/app-server.js";

const SECRET = "queue-secret";
let directory: string;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), "rfsn-queue-"));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** An app whose `workflow_run` handler records the delivery and waits until released. */
function gatedApp() {
  const handled: string[] = [];
  let release: () => void = () => undefined;
  let gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const appFunction: ApplicationFunction = (app) => {
    app.on("workflow_run", async (context) => {
      await gate;
      handled.push(context.id);
    });
  };
  return {
    handled,
    appFunction,
    open: () => {
      release();
      gate = Promise.resolve();
    },
  };
}

function start(
  file: string,
  appFunction: ApplicationFunction,
  extra: Partial<AppServerOptions> = {},
): Promise<AppServer> {
  return startTestAppServer({
    webhookSecret: SECRET,
    githubBaseUrl: "http://127.0.0.1:9/api/v3",
    database: openDatabase(join(directory, file)),
    version: "queue",
    appSlug: "rfsn",
    appFunction,
    ...extra,
  });
}

describe("the webhook queue", () => {
  it("acknowledges before processing and answers 503 with retry-after when full, without recording the refused delivery", async () => {
    const gated = gatedApp();
    const server = await start("full.db", gated.appFunction, {
      concurrency: 1,
      queueCapacity: 1,
      backlogCapacity: 0,
    });
    const send = (deliveryId: string) =>
      postWebhook(server.url, SECRET, "workflow_run", { action: "completed" }, { deliveryId });
    const [first, second, third] = [randomUUID(), randomUUID(), randomUUID()];
    expect((await send(first)).status).toBe(202);
    expect((await send(second)).status).toBe(202);
    expect(gated.handled).toEqual([]);
    const body = JSON.stringify({ action: "completed" });
    const full = await fetch(`${server.url}/api/github/webhooks`, {
      method: "POST",
      headers: {
        "x-github-event": "workflow_run",
        "x-github-delivery": third,
        "x-hub-signature-256": sign(SECRET, body),
      },
      body,
    });
    expect(full.status).toBe(503);
    expect(Number(full.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(server.inFlight()).toBe(2);
    gated.open();
    await server.idle();
    expect(gated.handled).toEqual([first, second]);
    // GitHub's retry of the refused delivery is new work, not a duplicate.
    expect((await send(third)).status).toBe(202);
    expect((await send(third)).status).toBe(200);
    await server.idle();
    expect(gated.handled).toEqual([first, second, third]);
    await server.close();
  });

  it("lets deliveries beyond the memory queue wait in the journal and processes them in arrival order", async () => {
    const gated = gatedApp();
    const server = await start("backlog.db", gated.appFunction, {
      concurrency: 1,
      queueCapacity: 1,
      backlogCapacity: 3,
    });
    const ids = Array.from({ length: 6 }, () => randomUUID());
    const answers: Array<{ status: number; result?: string }> = [];
    for (const id of ids) {
      const response = await postWebhook(
        server.url,
        SECRET,
        "workflow_run",
        { action: "completed" },
        { deliveryId: id },
      );
      answers.push({ status: response.status, ...(JSON.parse(response.text) as { result?: string }) });
    }
    // One running, one waiting in memory, three in the journal only, then the backlog is full.
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 202, 202, 503]);
    expect(answers.map((answer) => answer.result)).toEqual([
      "queued",
      "queued",
      "journaled",
      "journaled",
      "journaled",
      undefined,
    ]);
    expect(server.inFlight()).toBe(5);
    const metricsText = await (await fetch(`${server.url}/metrics`)).text();
    expect(metricsText).toMatch(/rfsn_app_webhook_queue_depth\{where="journal"\} 3/);
    gated.open();
    await server.idle();
    expect(gated.handled).toEqual(ids.slice(0, 5));
    expect(server.inFlight()).toBe(0);
    await server.close();
  });

  it("keeps deliveries a cut-short shutdown did not finish and replays them at the next start", async () => {
    const gated = gatedApp();
    const server = await start("replay.db", gated.appFunction, { concurrency: 1, shutdownTimeoutMs: 200 });
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    for (const id of ids)
      expect(
        (await postWebhook(server.url, SECRET, "workflow_run", { action: "completed" }, { deliveryId: id }))
          .status,
      ).toBe(202);
    await server.close();
    expect(gated.handled).toEqual([]);

    const later = gatedApp();
    later.open();
    const restarted = await start("replay.db", later.appFunction);
    await restarted.idle();
    expect(later.handled.sort()).toEqual([...ids].sort());
    // Already processed deliveries stay duplicates.
    expect(
      (
        await postWebhook(
          restarted.url,
          SECRET,
          "workflow_run",
          { action: "completed" },
          { deliveryId: ids[0] },
        )
      ).status,
    ).toBe(200);
    await restarted.close();
    gated.open();
  });

  it("rejects requests without the delivery headers with 400", async () => {
    const server = await start("headers.db", gatedApp().appFunction);
    const answer = await postWebhook(server.url, SECRET, "", { action: "completed" });
    expect(answer.status).toBe(400);
    await server.close();
  });
});

describe("WorkQueue", () => {
  it("runs at most `concurrency` jobs at once, refuses beyond capacity, survives a throwing job and reports idle", async () => {
    const errors: unknown[] = [];
    const queue = new WorkQueue({ concurrency: 2, capacity: 1, onError: (error) => errors.push(error) });
    let running = 0;
    let peak = 0;
    const job = () => async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running -= 1;
    };
    expect(queue.push(job())).toBe(true);
    expect(queue.push(job())).toBe(true);
    expect(queue.push(job())).toBe(true);
    expect(queue.push(job())).toBe(false);
    await queue.idle();
    expect(queue.push(async () => Promise.reject(new Error("boom")))).toBe(true);
    await queue.idle();
    expect(peak).toBe(2);
    expect(errors).toHaveLength(1);
    expect(queue.active + queue.queued).toBe(0);
    await queue.idle();
  });
});

describe("IntakePressure", () => {
  /** A burst starts at 10 webhooks in a second; during one, 5 jobs a second start. */
  const pressureAfter = (arrivals: number) => {
    const clock = { time: 1_000_000 };
    const pressure = new IntakePressure({ burstPerSecond: 10, burstJobsPerSecond: 5 }, () => clock.time);
    for (let i = 0; i < arrivals; i += 1) pressure.arrived();
    return { pressure, clock };
  };

  it("lets every job start at once outside a burst", () => {
    const { pressure, clock } = pressureAfter(9);
    expect(pressure.inBurst()).toBe(false);
    expect(pressure.admit(3)).toBe(0);
    expect(pressure.admit(3)).toBe(0);
    clock.time += 10;
    expect(pressure.admit(0)).toBe(0);
  });

  it("during a burst starts one job at a time, at most burstJobsPerSecond, and forgets the burst a second later", () => {
    const { pressure, clock } = pressureAfter(10);
    expect(pressure.inBurst()).toBe(true);
    expect(pressure.admit(0)).toBe(0);
    expect(pressure.admit(1)).toBeGreaterThan(0);
    expect(pressure.admit(0)).toBe(200);
    clock.time += 150;
    expect(pressure.admit(0)).toBe(50);
    clock.time += 50;
    expect(pressure.admit(0)).toBe(0);
    clock.time += 1_000;
    expect(pressure.perSecond()).toBe(0);
    expect(pressure.admit(2)).toBe(0);
  });
});

describe("WorkQueue with an admission check", () => {
  it("holds jobs back while admit answers a delay, and starts them when it answers 0", async () => {
    let open = false;
    const started: number[] = [];
    const queue = new WorkQueue({ concurrency: 4, capacity: 10, admit: () => (open ? 0 : 20) });
    for (let i = 0; i < 3; i += 1) queue.push(async () => void started.push(i));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(started).toEqual([]);
    expect(queue.queued).toBe(3);
    open = true;
    await queue.idle();
    expect(started).toEqual([0, 1, 2]);
  });

  it("answers a burst at once while processing yields to it, then works the backlog off", async () => {
    const handled: string[] = [];
    const server = await start(
      "burst.db",
      (app) => {
        app.on("workflow_run", async (context) => {
          handled.push(context.id);
        });
      },
      { burstPerSecond: 5, burstJobsPerSecond: 2 },
    );
    const answers = await Promise.all(
      Array.from({ length: 40 }, () =>
        postWebhook(
          server.url,
          SECRET,
          "workflow_run",
          { action: "completed" },
          { deliveryId: randomUUID() },
        ),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(40).fill(202));
    expect(handled.length).toBeLessThan(10);
    await server.idle();
    expect(handled).toHaveLength(40);
    await server.close();
  });
});

describe("GroupedCommit", () => {
  it("commits the deliveries accepted in one turn of the event loop together, each with its own answer", async () => {
    const batches: string[][] = [];
    const seen = new Set<string>();
    const commits = new GroupedCommit({
      acceptMany: (deliveries) => {
        batches.push(deliveries.map((delivery) => delivery.id));
        return deliveries.map((delivery) => !seen.has(delivery.id) && Boolean(seen.add(delivery.id)));
      },
    });
    const delivery = (id: string) => ({ id, event: "workflow_run", payload: "{}", receivedAt: 1 });
    const first = await Promise.all([commits.accept(delivery("a")), commits.accept(delivery("b"))]);
    const second = await Promise.all([commits.accept(delivery("a")), commits.accept(delivery("c"))]);
    expect(batches).toEqual([
      ["a", "b"],
      ["a", "c"],
    ]);
    expect(first).toEqual([true, true]);
    expect(second).toEqual([false, true]);
    expect(commits.pending).toBe(0);
  });

  it("fails every delivery of a commit that throws, and goes on with the next", async () => {
    let broken = true;
    const commits = new GroupedCommit({
      acceptMany: (deliveries) => {
        if (broken) throw new Error("disk I/O error");
        return deliveries.map(() => true);
      },
    });
    const delivery = { id: "x", event: "issue_comment", payload: "{}", receivedAt: 1 };
    const failed = await Promise.allSettled([
      commits.accept(delivery),
      commits.accept({ ...delivery, id: "y" }),
    ]);
    expect(failed.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    broken = false;
    expect(await commits.accept({ ...delivery, id: "z" })).toBe(true);
  });
});
