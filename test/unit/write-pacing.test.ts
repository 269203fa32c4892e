// Which GitHub requests are paced, how strictly, and the start times the pacer hands out.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { pacingClass, WritePacer } from "../../src/github/write-pacing.js";

describe("pacingClass", () => {
  it("leaves reads unpaced", () => {
    expect(pacingClass("GET", "/repos/{owner}/{repo}/issues")).toBe("unpaced");
    expect(pacingClass("HEAD", "/repos/o/r")).toBe("unpaced");
  });

  it("leaves token exchanges unpaced, as templates or expanded paths", () => {
    expect(pacingClass("POST", "/app/installations/{installation_id}/access_tokens")).toBe("unpaced");
    expect(pacingClass("POST", "/app/installations/77/access_tokens")).toBe("unpaced");
    expect(pacingClass("PATCH", "/applications/Iv1.abc/token/scoped")).toBe("unpaced");
  });

  it("paces other writes, with notification-triggering ones more strictly", () => {
    expect(pacingClass("POST", "/repos/{owner}/{repo}/check-runs")).toBe("write");
    expect(pacingClass("PATCH", "/repos/o/r/issues/comments/5")).toBe("write");
    expect(pacingClass("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments")).toBe("notification");
    expect(pacingClass("post", "/repos/o/r/issues/12/comments")).toBe("notification");
    expect(pacingClass("POST", "/repos/o/r/pulls")).toBe("notification");
    expect(pacingClass("POST", "/repos/o/r/pulls/3/reviews")).toBe("notification");
    expect(pacingClass("PATCH", "/repos/o/r/pulls/3")).toBe("write");
  });

  it("reads absolute URLs, dropping a GitHub Enterprise Server base path and the query", () => {
    const baseUrl = "https://ghe.example/api/v3";
    expect(pacingClass("POST", "https://ghe.example/api/v3/repos/o/r/issues?x=1", baseUrl)).toBe(
      "notification",
    );
    expect(pacingClass("POST", "https://ghe.example/api/v3/app/installations/1/access_tokens", baseUrl)).toBe(
      "unpaced",
    );
  });

  it("counts as notifications every operation GitHub's OpenAPI description flags triggersNotification", () => {
    const require = createRequire(import.meta.url);
    const description = JSON.parse(
      readFileSync(require.resolve("@octokit/openapi/generated/api.github.com.json"), "utf8"),
    ) as { paths: Record<string, Record<string, { "x-github"?: { triggersNotification?: boolean } }>> };
    const flagged = Object.entries(description.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => operation?.["x-github"]?.triggersNotification === true)
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(flagged.length).toBeGreaterThan(10);
    const missed = flagged.filter((route) => {
      const [method = "", path = ""] = route.split(" ");
      return pacingClass(method, path) !== "notification";
    });
    expect(missed).toEqual([]);
  });
});

describe("WritePacer", () => {
  function manualClock(): { now: () => number; advance: (ms: number) => void } {
    let time = 10_000;
    return { now: () => time, advance: (ms) => (time += ms) };
  }

  it("lets the first write and every read go at once", () => {
    const pacer = new WritePacer(manualClock().now);
    expect(pacer.reserve("write")).toBe(0);
    expect(pacer.reserve("unpaced")).toBe(0);
  });

  it("hands out slots one second apart for writes made together, in call order", () => {
    const pacer = new WritePacer(manualClock().now);
    expect([pacer.reserve("write"), pacer.reserve("write"), pacer.reserve("write")]).toEqual([0, 1000, 2000]);
  });

  it("spaces notifications three seconds apart and plain writes one second after them", () => {
    const clock = manualClock();
    const pacer = new WritePacer(clock.now);
    expect(pacer.reserve("notification")).toBe(0);
    expect(pacer.reserve("write")).toBe(1000);
    expect(pacer.reserve("notification")).toBe(3000);
    clock.advance(5000);
    expect(pacer.reserve("write")).toBe(0);
    expect(pacer.reserve("notification")).toBe(1000);
  });

  it("does not wait once the spacing has passed on its own", () => {
    const clock = manualClock();
    const pacer = new WritePacer(clock.now);
    pacer.reserve("write");
    clock.advance(1500);
    expect(pacer.reserve("write")).toBe(0);
  });
});
