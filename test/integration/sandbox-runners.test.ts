// Every test runner works in the sandbox: cold runs, coverage and warm sessions in sandbox-owned worktrees answer like unsandboxed runs, as another uid.
import {
  chmodSync,
  cpSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { TestCaseResult } from "../../src/core/types.js";
import { probeIsolation } from "../../src/runtime/sandbox/isolation-probe.js";
import { openSessionSandbox } from "../../src/runtime/sandbox/session-sandbox.js";
import { createTestRunner } from "../../src/runtime/test-runners/index.js";
import { openRepository } from "../../src/runtime/workspace.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "../..");
const fixtures = join(repoRoot, "test/fixtures/runners");
const scratch: string[] = [];

afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/**
 * A copy of a fixture as a user's checkout: readable by others, with the repository's node_modules beside it
 * (`fresh`: as after `npm ci`, a directory of links without the caches earlier test runs left).
 */
function checkoutOf(fixture: string, javascript: boolean, fresh = false): string {
  const root = mkdtempSync(join(tmpdir(), "rfsn-sandbox-runner-"));
  scratch.push(root);
  chmodSync(root, 0o755);
  const dir = join(root, "project");
  cpSync(join(fixtures, fixture), dir, { recursive: true });
  const modules = join(repoRoot, "node_modules");
  if (javascript && fresh) {
    mkdirSync(join(dir, "node_modules"));
    for (const entry of readdirSync(modules))
      if (!entry.startsWith(".vite") && entry !== ".cache")
        symlinkSync(join(modules, entry), join(dir, "node_modules", entry));
  } else if (javascript) symlinkSync(modules, join(dir, "node_modules"), "dir");
  return dir;
}

function statuses(tests: TestCaseResult[]): Record<string, string> {
  return Object.fromEntries(tests.map((test) => [test.id, test.status]));
}

const cases = [
  { fixture: "node-test-project", argv: ["node", "--test"], javascript: true, warm: true },
  { fixture: "pytest-project", argv: ["python3", "-m", "pytest"], javascript: false, warm: true },
  { fixture: "vitest-ts-project", argv: ["npx", "vitest"], javascript: true, warm: true },
  { fixture: "vitest-js-project", argv: ["npx", "vitest"], javascript: true, warm: true, fresh: true },
  { fixture: "jest-project", argv: ["npx", "jest"], javascript: true, warm: false },
  { fixture: "mocha-project", argv: ["npx", "mocha"], javascript: true, warm: false },
  { fixture: "node-test-project", argv: ["node", "-e", "process.exit(1)"], javascript: true, warm: false },
];

describe.runIf(process.getuid?.() === 0 && probeIsolation().level === "full")(
  "runners in the sandbox",
  () => {
    it.each(cases)(
      "$fixture with $argv answers like an unsandboxed run, coverage and warm runs included",
      async (spec) => {
        const dir = checkoutOf(spec.fixture, spec.javascript, spec.fresh === true);
        const runner = createTestRunner({ projectDir: dir, argv: spec.argv });
        // The sandboxed runs come first: the unsandboxed one (root) leaves caches in node_modules.
        const handle = openSessionSandbox();
        // The "fresh" layout links each package into this repository's node_modules, wherever the clone is.
        if (spec.fresh) handle.sandbox.allowTraversalTo(join(repoRoot, "node_modules"));
        const repository = await openRepository(dir);
        let released = false;
        try {
          const worktree = await repository.createWorktree();
          if (spec.fresh) expect(lstatSync(join(worktree.dir, "node_modules")).isSymbolicLink()).toBe(true);
          const sandboxedRunner = createTestRunner({ projectDir: worktree.dir, argv: spec.argv });
          const sandboxed = await sandboxedRunner.run({
            cwd: worktree.dir,
            timeoutMs: 60_000,
            coverage: runner.supportsCoverage,
          });
          const warmSession = spec.warm ? sandboxedRunner.startWarmSession?.(worktree.dir) : undefined;
          const warm = await warmSession?.run({ timeoutMs: 60_000 });
          warmSession?.close();
          // Nothing the runs wrote belongs to root: the tree still is its sandbox uid's.
          expect(await worktree.isPristine()).toBe(true);
          await repository.dispose();
          handle.release();
          released = true;

          const plain = await runner.run({ cwd: dir, timeoutMs: 60_000, coverage: runner.supportsCoverage });
          expect(sandboxed.setupError).toBe(plain.setupError);
          expect(sandboxed.exitCode).toBe(plain.exitCode);
          expect(statuses(sandboxed.tests)).toEqual(statuses(plain.tests));
          if (runner.supportsCoverage) {
            expect(plain.coverage?.size ?? 0).toBeGreaterThan(0);
            expect([...(sandboxed.coverage?.keys() ?? [])].sort()).toEqual(
              [...(plain.coverage?.keys() ?? [])].sort(),
            );
          }
          if (spec.warm) {
            expect(warm?.setupError).toBeUndefined();
            expect(statuses(warm?.tests ?? [])).toEqual(statuses(plain.tests));
          }
        } finally {
          if (!released) {
            await repository.dispose();
            handle.release();
          }
        }
      },
    );
  },
);
