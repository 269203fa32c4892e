// Finds the Python interpreter behind `python -m pytest` and `pytest` scripts, as a warm pytest process must start under it.
import { chmod, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { pytestInterpreter, shebangInterpreter } from "../../src/runtime/test-runners/pytest-interpreter.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function scriptDir(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "rfsn-interpreter-"));
  dirs.push(dir);
  await writeFile(join(dir, name), text);
  await chmod(join(dir, name), 0o755);
  return dir;
}

describe("shebangInterpreter", () => {
  it("reads an absolute interpreter with its options", () => {
    expect(shebangInterpreter("#!/venv/bin/python3.12 -E\nimport sys\n")).toEqual([
      "/venv/bin/python3.12",
      "-E",
    ]);
  });

  it("reads /usr/bin/env, with or without -S", () => {
    expect(shebangInterpreter("#!/usr/bin/env python3\n")).toEqual(["python3"]);
    expect(shebangInterpreter("#!/usr/bin/env -S python3 -u\n")).toEqual(["python3", "-u"]);
  });

  it("reads pip's launcher for interpreters with long paths", () => {
    const head = `#!/bin/sh\n'''exec' "/a very/long/path/bin/python" "$0" "$@"\n' '''\n`;
    expect(shebangInterpreter(head)).toEqual(["/a very/long/path/bin/python"]);
  });

  it("gives up on scripts that are not Python", () => {
    expect(shebangInterpreter("#!/bin/bash\nexec tox\n")).toBeUndefined();
    expect(shebangInterpreter("#!/usr/bin/env node\n")).toBeUndefined();
    expect(shebangInterpreter("import sys\n")).toBeUndefined();
  });
});

describe("pytestInterpreter", () => {
  it("runs `python -m pytest` under the same interpreter words, with the cwd first on sys.path", async () => {
    expect(await pytestInterpreter(["python3", "-X", "dev", "-m", "pytest"], "/project", {})).toEqual({
      argv: ["python3", "-X", "dev"],
      firstPathEntry: "/project",
    });
  });

  it("puts nothing first on sys.path under -P, -I or PYTHONSAFEPATH", async () => {
    expect(await pytestInterpreter(["python3", "-P", "-m", "pytest"], "/project", {})).toEqual({
      argv: ["python3", "-P"],
    });
    expect(await pytestInterpreter(["python3", "-m", "pytest"], "/project", { PYTHONSAFEPATH: "1" })).toEqual(
      {
        argv: ["python3"],
      },
    );
  });

  it("finds a `pytest` script on PATH and starts its interpreter, with the script's directory first on sys.path", async () => {
    const dir = await scriptDir("pytest", "#!/opt/venv/bin/python\nfrom pytest import console_main\n");
    expect(await pytestInterpreter(["pytest"], "/project", { PATH: dir })).toEqual({
      argv: ["/opt/venv/bin/python"],
      firstPathEntry: await realpath(dir),
    });
  });

  it("gives up on a launcher it does not know or a script it cannot find", async () => {
    const dir = await scriptDir("pytest", '#!/bin/bash\nexec python -m pytest "$@"\n');
    expect(await pytestInterpreter(["pytest"], "/project", { PATH: dir })).toBeUndefined();
    expect(await pytestInterpreter(["pytest"], "/project", { PATH: join(dir, "missing") })).toBeUndefined();
    expect(await pytestInterpreter(["tox"], "/project", {})).toBeUndefined();
  });
});
