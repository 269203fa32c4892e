import { describe, expect, it } from "vitest";
import { breadcrumbs, renderTrail } from "../src/breadcrumbs.js";

describe("trail rendering", () => {
  it("links all but the last crumb", () => {
    expect(renderTrail(breadcrumbs("/api/v2_reference"))).toBe("[Home](/) › [Api](/api) › V2 reference");
  });

  it("deep paths", () => {
    expect(breadcrumbs("/a/b/c").map((c) => c.href)).toEqual(["/", "/a", "/a/b", "/a/b/c"]);
  });
});
