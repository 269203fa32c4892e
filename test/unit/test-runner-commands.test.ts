// Identifies test runners from commands and project files, and builds the argv that selects a subset of tests.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  detectTestCommand,
  identifyRunner,
  resolveTestCommand,
} from "../../src/runtime/test-runners/command-resolution.js";
import {
  expandGlob,
  expandGlobArguments,
  globToRegExp,
} from "../../src/runtime/test-runners/glob-expansion.js";
import { jestSelection, scriptArgumentsStart } from "../../src/runtime/test-runners/jest-runner.js";
import { mochaGrep } from "../../src/runtime/test-runners/mocha-runner.js";
import { nodeTestArguments, nodeTestSelection } from "../../src/runtime/test-runners/node-test-events.js";
import { singleFileOptions } from "../../src/runtime/test-runners/node-test-runner.js";
import { unusedHeavyPlugins } from "../../src/runtime/test-runners/pytest-plugin-pruning.js";
import { pytestArguments } from "../../src/runtime/test-runners/pytest-runner.js";
import { withoutOptions } from "../../src/runtime/test-runners/test-process.js";

const fixtures = join(import.meta.dirname, "../fixtures/runners");
let scratch: string;

async function project(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(scratch, "p-"));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, ".."), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "rfsn-runner-commands-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("identifyRunner", () => {
  it.each([
    [["pytest", "-x"], "pytest"],
    [["python3", "-m", "pytest", "tests"], "pytest"],
    [["python", "-m", "unittest"], "generic"],
    [["npx", "vitest", "run"], "vitest"],
    [["vitest"], "vitest"],
    [["jest", "--ci"], "jest"],
    [["npx", "--yes", "mocha"], "mocha"],
    [["node", "--test"], "node-test"],
    [["node", "node_modules/jest/bin/jest.js"], "jest"],
    [["node", "index.js"], "generic"],
    [["CI=1", "jest"], "jest"],
    [["make", "test"], "generic"],
    [["npm", "test"], "generic"],
  ])("%j is %s", (argv, runner) => {
    expect(identifyRunner(argv)).toBe(runner);
  });

  it("looks through npm, yarn and pnpm scripts to the runner they start", async () => {
    const dir = await project({
      "package.json": JSON.stringify({
        scripts: {
          test: "NODE_ENV=test vitest run",
          "test:unit": "jest",
          ci: "npm run test:unit -- --runInBand",
          lint: "tsc && jest",
        },
      }),
    });
    expect(identifyRunner(["npm", "test"], dir)).toBe("vitest");
    expect(identifyRunner(["npm", "run", "test:unit"], dir)).toBe("jest");
    expect(identifyRunner(["yarn", "test"], dir)).toBe("vitest");
    expect(identifyRunner(["pnpm", "run", "ci"], dir)).toBe("jest");
    expect(identifyRunner(["npm", "run", "lint"], dir)).toBe("generic");
    expect(identifyRunner(["npm", "run", "missing"], dir)).toBe("generic");
  });

  it("resolves npm scripts to `node <binary>` with the script's assignments and extra arguments", () => {
    const resolved = resolveTestCommand(["npm", "test", "--", "--bail"], join(fixtures, "jest-project"));
    expect(resolved.runner).toBe("jest");
    expect(resolved.argv[0]).toBe("node");
    expect(resolved.argv[1]).toMatch(/node_modules\/jest\/bin\/jest\.js$/);
    expect(resolved.argv.slice(2)).toEqual(["--bail"]);
    const withEnv = resolveTestCommand(["NODE_ENV=test", "mocha"], join(fixtures, "mocha-project"));
    expect(withEnv.env).toEqual({ NODE_ENV: "test" });
    expect(withEnv.argv[1]).toMatch(/mocha/);
  });
});

describe("detectTestCommand", () => {
  it("prefers the package.json test script", async () => {
    expect(await detectTestCommand(join(fixtures, "vitest-js-project"))).toEqual({
      runner: "vitest",
      argv: ["npm", "test"],
    });
    expect(await detectTestCommand(join(fixtures, "node-test-project"))).toEqual({
      runner: "node-test",
      argv: ["npm", "test"],
    });
  });

  it("falls back to a JS runner in the dependencies when the test script is npm's placeholder", async () => {
    const dir = await project({
      "package.json": JSON.stringify({
        scripts: { test: 'echo "Error: no test specified" && exit 1' },
        devDependencies: { jest: "^30.0.0" },
      }),
    });
    expect(await detectTestCommand(dir)).toEqual({ runner: "jest", argv: ["npx", "jest"] });
  });

  it.each([
    ["pytest.ini", "[pytest]\n"],
    ["pyproject.toml", "[project]\nname='x'\n\n[tool.pytest.ini_options]\naddopts='-q'\n"],
    ["setup.cfg", "[tool:pytest]\ntestpaths = tests\n"],
    ["tox.ini", "[tox]\n\n[pytest]\n"],
    ["conftest.py", ""],
    ["tests/test_thing.py", "def test_x():\n    pass\n"],
  ])("finds pytest from %s", async (name, text) => {
    const dir = await project({ [name]: text });
    expect(await detectTestCommand(dir)).toEqual({ runner: "pytest", argv: ["python3", "-m", "pytest"] });
  });

  it("returns null for a project without tests", async () => {
    const dir = await project({ "README.md": "# nothing", "pyproject.toml": "[project]\nname='x'\n" });
    expect(await detectTestCommand(dir)).toBeNull();
  });
});

describe("subset selection", () => {
  it("separates pytest options and their values from positional paths", () => {
    expect(
      pytestArguments(["python3", "-m", "pytest", "-k", "slow", "tests/", "-x", "--tb=short", "other.py"]),
    ).toEqual({
      prefix: ["python3", "-m", "pytest"],
      options: ["-k", "slow", "-x", "--tb=short"],
      paths: ["tests/", "other.py"],
    });
  });

  it("selects node:test tests by file and an anchored name pattern, leaving known suites out of the pattern", () => {
    const selection = nodeTestSelection(
      ["test/a.test.js::math > adds (1 + 1)", "test/b.test.js::outer > inner"],
      new Set(["test/a.test.js::math"]),
    );
    expect(selection.files).toEqual(["test/a.test.js", "test/b.test.js"]);
    expect(selection.pattern).toBe("^(?:adds \\(1 \\+ 1\\)|outer|inner)$");
    expect(new RegExp(selection.pattern ?? "").test("adds (1 + 1)")).toBe(true);
  });

  it("selects a whole node:test file (one that hung before reporting its tests) without a name pattern", () => {
    expect(nodeTestSelection(["test/bisect.test.js"], new Set())).toEqual({
      files: ["test/bisect.test.js"],
      pattern: undefined,
    });
  });

  it("drops the user's reporters and files from a node --test command", () => {
    expect(
      nodeTestArguments(["node", "--test", "--test-reporter", "dot", "--import", "tsx", "test/"]),
    ).toEqual({
      options: ["--test", "--import", "tsx"],
      files: ["test/"],
    });
  });

  it("selects jest and vitest tests by file and full name, and mocha tests by an exact grep", () => {
    expect(jestSelection(["test/m.test.js::math > adds", "test/broken.test.js"])).toEqual({
      files: ["test/m.test.js", "test/broken.test.js"],
      fullNames: ["math adds"],
    });
    const grep = new RegExp(mochaGrep(["test/m.spec.js::math adds [x]"]));
    expect(grep.test("math adds [x]")).toBe(true);
    expect(grep.test("math adds [x] too")).toBe(false);
  });

  it("removes options RFSN sets itself, with their values", () => {
    expect(
      withoutOptions(
        ["--reporter", "dot", "--grep=x", "-b", "--watch"],
        new Set(["--reporter", "--grep", "--watch"]),
        new Set(["--reporter", "--grep"]),
      ),
    ).toEqual(["-b"]);
  });
});

describe("node:test runs of one selected file", () => {
  it("run the file directly, without the test-runner process", () => {
    expect(singleFileOptions(["--test", "--enable-source-maps"], ["test/a.test.js"])).toEqual([
      "--enable-source-maps",
    ]);
  });

  it("keep the test-runner process for several files or options only it understands", () => {
    expect(singleFileOptions(["--test"], ["test/a.test.js", "test/b.test.js"])).toEqual(["--test"]);
    expect(singleFileOptions(["--test", "--test-concurrency=1"], ["test/a.test.js"])).toEqual([
      "--test",
      "--test-concurrency=1",
    ]);
    expect(singleFileOptions(["--test", "--experimental-test-coverage"], ["a.test.js"])).toContain("--test");
  });
});

describe("glob arguments", () => {
  it("translates globstars, stars, classes and alternatives", () => {
    const glob = globToRegExp("test/**/*.{test,spec}.[jt]s");
    expect(glob.test("test/a.test.js")).toBe(true);
    expect(glob.test("test/deep/er/b.spec.ts")).toBe(true);
    expect(glob.test("test/a.test.mjs")).toBe(false);
    expect(globToRegExp("src/?.js").test("src/ab.js")).toBe(false);
  });

  it("expands globs against the project's files the way npm's shell would", async () => {
    const dir = join(fixtures, "node-test-project");
    expect(await expandGlob("./test/**/*.test.js", dir)).toEqual(["test/math.test.js"]);
    expect(await expandGlobArguments(["--x", "src/*.js", "nothing/*.js"], dir)).toEqual([
      "--x",
      "src/math.js",
      "nothing/*.js",
    ]);
  });

  it("finds where a runner's own arguments start in `node <script> …`", () => {
    expect(scriptArgumentsStart(["node", "--max-old-space-size=100", "/b/jest.js", "-t", "x"])).toBe(3);
    expect(scriptArgumentsStart(["jest", "-t", "x"])).toBe(1);
  });
});

describe("pytest plugin pruning", () => {
  it("blocks slow plugins only when no project file mentions them", async () => {
    const plain = await project({
      "calc.py": "def f():\n    return 1\n",
      "tests/test_calc.py": "def test_f():\n    pass\n",
    });
    expect(await unusedHeavyPlugins(plain)).toEqual(["hypothesispytest", "benchmark"]);
    const uses = await project({
      "tests/test_props.py": "from hypothesis import given\n",
      "node_modules/x/benchmark.py": "# not the project's own\n",
    });
    expect(await unusedHeavyPlugins(uses)).toEqual(["benchmark"]);
    const configured = await project({ "pytest.ini": "[pytest]\naddopts = --benchmark-disable\n" });
    expect(await unusedHeavyPlugins(configured)).toEqual(["hypothesispytest"]);
  });
});
