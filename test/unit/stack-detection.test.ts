// Stack detection from root file names and a few file texts: the choices the fixtures of `rfsn init` do not cover.
import { describe, expect, it } from "vitest";
import { detectStack, StackNotDetectedError } from "../../src/core/stack-detection.js";

function detect(files: Record<string, string | null>) {
  const contents = new Map<string, string>();
  for (const [name, text] of Object.entries(files)) if (text !== null) contents.set(name, text);
  return detectStack({ rootFiles: Object.keys(files), contents });
}

describe("detectStack", () => {
  it("ignores npm's placeholder test script and falls back to Node's runner, with npm install without a lockfile", () => {
    const stack = detect({
      "package.json": JSON.stringify({ scripts: { test: 'echo "Error: no test specified" && exit 1' } }),
    });
    expect(stack).toMatchObject({
      packageManager: "npm",
      testRunner: "node-test",
      testCommand: "node --test",
    });
    expect(stack.installCommands).toEqual(["npm install"]);
    expect(stack.cacheDependencyPaths).toEqual([]);
  });

  it("takes the package manager from package.json's packageManager field when there is no lockfile", () => {
    const stack = detect({
      "package.json": JSON.stringify({ packageManager: "pnpm@9.1.0", devDependencies: { vitest: "1" } }),
    });
    expect(stack).toMatchObject({ packageManager: "pnpm", testCommand: "pnpm exec vitest run" });
    expect(stack.installCommands).toEqual(["pnpm install"]);
  });

  it("a Python project with front-end tooling in package.json is a Python project; with a JS test script it is JavaScript", () => {
    const tooling = detect({
      "package.json": JSON.stringify({ devDependencies: { prettier: "3" } }),
      "pyproject.toml": '[project]\nname = "x"\n[project.optional-dependencies]\ntest = ["pytest"]\n',
    });
    expect(tooling).toMatchObject({
      language: "python",
      packageManager: "pip",
      testCommand: "python -m pytest",
    });
    expect(tooling.installCommands).toEqual(["python -m pip install -e ."]);
    const both = detect({
      "package.json": JSON.stringify({ scripts: { test: "jest" } }),
      "pyproject.toml": "",
    });
    expect(both).toMatchObject({ language: "javascript", testRunner: "jest" });
  });

  it("installs pytest beside pip requirements that lack it, and reads every requirements file", () => {
    const stack = detect({ "requirements.txt": "requests\n", "requirements-dev.txt": "black\n" });
    expect(stack.installCommands).toEqual([
      "python -m pip install -r requirements.txt",
      "python -m pip install -r requirements-dev.txt",
      "python -m pip install pytest",
    ]);
    expect(stack.cacheDependencyPaths).toEqual(["requirements.txt", "requirements-dev.txt"]);
  });

  it("recognizes poetry and uv from pyproject.toml alone", () => {
    expect(detect({ "pyproject.toml": "[tool.poetry]\nname = 'x'\n" }).packageManager).toBe("poetry");
    expect(
      detect({ "pyproject.toml": "[project]\nname = 'x'\n[tool.uv]\ndev-dependencies = []\n" })
        .packageManager,
    ).toBe("uv");
  });

  it("survives a package.json that is not JSON", () => {
    expect(detect({ "package.json": "{ nope", "package-lock.json": null }).packageManager).toBe("npm");
  });

  it("says what it looked for when nothing is supported", () => {
    expect(() => detect({ "README.md": "# x", "go.mod": "module x" })).toThrow(StackNotDetectedError);
    expect(() => detect({ "Cargo.toml": "" })).toThrow(/expected package\.json .* pyproject\.toml/);
  });
});
