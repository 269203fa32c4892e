// The npm package as `npm pack` makes it: the `rfsn` command it installs runs from the packed files alone.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const workspace = mkdtempSync(join(tmpdir(), "rfsn-npm-package-"));
/** Where the tarball is unpacked, as npm would install it (`node_modules/rfsn`). */
const installed = join(workspace, "node_modules", "rfsn");
let packedFiles: string[] = [];

beforeAll(() => {
  if (!existsSync(join(ROOT, "dist/src/cli/main.js")))
    throw new Error("dist/ is missing: run `npm run build` before the tests");
  // `prepack` builds; the tests run after a build already, and a build now would rewrite dist/ under other tests.
  const packed = JSON.parse(
    execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", workspace], {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }),
  ) as Array<{ filename: string; files: Array<{ path: string }> }>;
  const [tarball] = packed;
  if (!tarball) throw new Error("npm pack made no tarball");
  packedFiles = tarball.files.map((file) => file.path);
  execFileSync("mkdir", ["-p", installed]);
  execFileSync("tar", ["-xzf", join(workspace, tarball.filename), "-C", installed, "--strip-components=1"]);
  // The dependencies npm would install next to it.
  symlinkSync(join(ROOT, "node_modules"), join(installed, "node_modules"), "dir");
}, 60_000);

afterAll(() => {
  rmSync(workspace, { recursive: true, force: true });
});

function rfsn(args: string[], cwd: string): string {
  return execFileSync(process.execPath, [join(installed, "bin/rfsn.js"), ...args], {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
}

describe("the npm package", () => {
  it("holds the compiled CLI and what it reads at run time, and neither sources, tests nor the corpus", () => {
    for (const needed of [
      "bin/rfsn.js",
      "dist/src/cli/main.js",
      "dist/src/repair/generation-worker.js",
      ".github/workflows/rfsn.yml",
      "schema/rfsn.schema.json",
      "examples/quickstart/src/cart.js",
    ])
      expect(packedFiles).toContain(needed);
    const unwanted = packedFiles.filter((path) => /^(src|test|bench|dist\/test)\/|\.map$/.test(path));
    expect(unwanted).toEqual([]);
  });

  it("finds the repair workflow template the App proposes to repositories", async () => {
    const template = (await import(join(installed, "dist/src/app/workflow-template.js"))) as {
      loadRepairWorkflowTemplate(): string;
    };
    expect(template.loadRepairWorkflowTemplate()).toContain("uses:");
  });

  it("prints its version and repairs the bundled example from the unpacked files", () => {
    expect(rfsn(["--version"], workspace).trim()).toMatch(/^\d+\.\d+\.\d+/);
    const example = join(workspace, "quickstart");
    cpSync(join(installed, "examples/quickstart"), example, { recursive: true });
    const report = JSON.parse(
      rfsn(["repair", example, "--json", "--llm", "off", "--jobs", "2"], workspace),
    ) as {
      outcome: string;
      patch: string;
    };
    expect(report.outcome).toBe("fixed");
    expect(report.patch).toContain("+++ b/src/cart.js");
  }, 60_000);
});
