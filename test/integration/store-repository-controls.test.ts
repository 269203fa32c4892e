// The off switches' tables on a real SQLite file: pauses, refusals per conversation, opened PRs per installation and hour; requests per conversation.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/store/database.js";
import { RepairRequestStore } from "../../src/store/repair-requests.js";
import { RepositoryControlStore } from "../../src/store/repository-controls.js";

let directory: string;
let database: Database;
let clock = 1_000_000;
const now = () => clock;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), "rfsn-controls-"));
  database = openDatabase(join(directory, "rfsn.db"));
});

afterAll(() => {
  database.close();
  rmSync(directory, { recursive: true, force: true });
});

describe("RepositoryControlStore", () => {
  it("keeps the first pause of a repository (any letter case) until it is resumed, and survives a reopen", () => {
    const controls = new RepositoryControlStore(database, { now });
    expect(controls.pause("Octo/App", "mia")).toBe(true);
    expect(controls.pause("octo/app", "root")).toBe(false);
    const reopened = openDatabase(join(directory, "rfsn.db"));
    expect(new RepositoryControlStore(reopened).pauseOfRepository("OCTO/APP")).toEqual({
      repo: "octo/app",
      pausedBy: "mia",
      pausedAt: 1_000_000,
    });
    reopened.close();
    expect(controls.resume("octo/app")).toBe(true);
    expect(controls.resume("octo/app")).toBe(false);
    expect(controls.pauseOfRepository("octo/app")).toBeNull();
  });

  it("answers the newest refusal of a conversation, including the repository's branch-wide ones, never another conversation's", () => {
    const controls = new RepositoryControlStore(database, { now });
    const refusal = (issueNumber: number | null, reason: string) =>
      controls.recordRefusal({
        repo: "octo/shop",
        issueNumber,
        headSha: "a".repeat(40),
        trigger: "comment",
        reason,
        detail: reason,
      });
    clock += 1;
    refusal(7, "disabled");
    clock += 1;
    refusal(8, "trigger_off");
    expect(controls.latestRefusal("octo/shop", 7)?.reason).toBe("disabled");
    clock += 1;
    refusal(null, "paused");
    expect(controls.latestRefusal("octo/shop", 7)?.reason).toBe("paused");
    expect(controls.latestRefusal("octo/shop", null)?.reason).toBe("paused");
    expect(controls.latestRefusal("octo/other", 7)).toBeNull();
  });

  it("counts opened pull requests per installation inside the window, once per number", () => {
    const controls = new RepositoryControlStore(database, { now });
    clock = 5_000_000;
    controls.recordOpenedPullRequest(1, "octo/a", 10);
    controls.recordOpenedPullRequest(1, "octo/a", 10);
    clock += 1000;
    controls.recordOpenedPullRequest(1, "octo/b", 3);
    controls.recordOpenedPullRequest(2, "other/c", 4);
    expect(controls.pullRequestsOpenedSince(1, 5_000_000)).toBe(2);
    expect(controls.pullRequestsOpenedSince(1, 5_000_001)).toBe(1);
    expect(controls.pullRequestsOpenedSince(2, 0)).toBe(1);
    expect(controls.pullRequestsOpenedSince(3, 0)).toBe(0);
  });
});

describe("RepairRequestStore per conversation", () => {
  it("finds the latest request and counts the requests answering on one issue or pull request", () => {
    const requests = new RepairRequestStore(database, { now });
    const create = (id: string, issueNumber: number | null) => {
      clock += 1;
      return requests.createIfAbsent({
        id,
        repo: "octo/shop",
        headSha: "b".repeat(40),
        trigger: "comment",
        dedupeKey: `key-${id}`,
        commentTarget: issueNumber === null ? null : { issueNumber, commentId: null },
      });
    };
    create("on-a-1", 1);
    create("on-b", 2);
    create("on-a-2", 1);
    create("branch", null);
    expect(requests.latestForIssue("octo/shop", 1)?.id).toBe("on-a-2");
    expect(requests.latestForIssue("octo/shop", 2)?.id).toBe("on-b");
    expect(requests.latestForIssue("octo/shop", 3)).toBeUndefined();
    expect(requests.countForIssue("octo/shop", 1)).toBe(2);
    // A finished newer request does not hide an older one still running.
    requests.updateStatus("on-a-1", "running");
    requests.updateStatus("on-a-2", "failed");
    expect(requests.activeForIssue("octo/shop", 1)?.id).toBe("on-a-1");
    requests.updateStatus("on-a-1", "completed");
    expect(requests.activeForIssue("octo/shop", 1)).toBeUndefined();
    expect(requests.countForIssue("octo/else", 1)).toBe(0);
  });
});
