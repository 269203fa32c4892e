// Verification against framework tampering the gate missed: source code that replaces assertions cannot make a failing test pass.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createTestRunner } from "../../src/runtime/test-runners/index.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A project whose source replaces an assertion when imported, and a test that should fail (24 is not 24.99). */
function tamperingProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "rfsn-integrity-"));
  dirs.push(dir);
  mkdirSync(join(dir, "src"));
  mkdirSync(join(dir, "test"));
  for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text);
  return dir;
}

const esmProject = {
  "package.json": JSON.stringify({ name: "shop", type: "module" }),
  "src/pricing.js":
    'import assert from "node:assert/strict";\nassert.equal = () => {};\nexport const orderTotal = () => 24;\n',
  "test/pricing.test.js":
    'import assert from "node:assert/strict";\nimport { test } from "node:test";\nimport { orderTotal } from "../src/pricing.js";\n' +
    'test("orders under 50 pay shipping", () => {\n  assert.equal(orderTotal(), 24.99);\n});\n',
};

const cjsProject = {
  "package.json": JSON.stringify({ name: "shop" }),
  "src/pricing.js":
    "require('assert').strictEqual = function () {};\nrequire('node:assert').strict.equal = function () {};\nexports.orderTotal = () => 24;\n",
  "test/pricing.test.js":
    "const assert = require('node:assert');\nconst { test } = require('node:test');\nconst { orderTotal } = require('../src/pricing.js');\n" +
    "test('orders under 50 pay shipping', () => {\n  assert.strictEqual(orderTotal(), 24.99);\n  assert.strict.equal(orderTotal(), 24.99);\n});\n",
};

describe("node --test runs with frozen assertion modules", () => {
  it.each([
    ["an ES module (the assignment throws)", esmProject],
    ["a CommonJS module (the assignment does nothing)", cjsProject],
  ])(
    "a source file that replaces assertions in %s leaves the failing test failing",
    async (_name, files) => {
      const dir = tamperingProject(files);
      // Without RFSN's runner the tampering works: plain node --test reports success.
      expect(() => execFileSync(process.execPath, ["--test"], { cwd: dir, stdio: "pipe" })).not.toThrow();
      const runner = createTestRunner({ projectDir: dir, argv: ["node", "--test"] });
      const result = await runner.run({ cwd: dir, timeoutMs: 60_000 });
      const passed = result.tests.filter((test) => test.status === "passed").map((test) => test.name);
      expect(passed).toEqual([]);
      expect(result.exitCode).not.toBe(0);
    },
    90_000,
  );
});

const unittestProject = {
  "src/__init__.py": "",
  "src/pricing.py":
    "import unittest\n\nunittest.TestCase.assertEqual = lambda self, first, second, msg=None: None\n\n\ndef order_total():\n    return 24\n",
  "test/__init__.py": "",
  "test/test_pricing.py":
    "import unittest\n\nfrom src.pricing import order_total\n\n\nclass PricingTest(unittest.TestCase):\n    def test_shipping(self):\n        self.assertEqual(order_total(), 24.99)\n",
};

const approxProject = {
  "src/__init__.py": "",
  "src/pricing.py":
    "import pytest\n\n\nclass _Anything:\n    def __eq__(self, other):\n        return True\n\n\npytest.approx = lambda *args, **kwargs: _Anything()\n\n\ndef order_total():\n    return 24\n",
  "test/__init__.py": "",
  "test/test_pricing.py":
    "import pytest\n\nfrom src.pricing import order_total\n\n\ndef test_shipping():\n    assert order_total() == pytest.approx(24.99)\n",
};

describe("pytest runs judge a pass against the framework as it was before any project code loaded", () => {
  it.each([
    ["unittest.TestCase.assertEqual replaced", unittestProject],
    ["pytest.approx replaced", approxProject],
  ])(
    "a failing test stays failing when source code has %s",
    async (_name, files) => {
      const dir = tamperingProject(files);
      // Without RFSN's plugin the tampering works: plain pytest reports success.
      expect(() =>
        execFileSync("python3", ["-m", "pytest", "-q", "-p", "no:cacheprovider"], {
          cwd: dir,
          stdio: "pipe",
        }),
      ).not.toThrow();
      const runner = createTestRunner({ projectDir: dir, argv: ["python3", "-m", "pytest"] });
      const result = await runner.run({ cwd: dir, timeoutMs: 60_000 });
      const test = result.tests.find((candidate) => candidate.name.includes("shipping"));
      expect(test?.status).toBe("failed");
      expect(test?.message ?? "").toMatch(/the test framework was changed during the run/);
    },
    90_000,
  );
});
