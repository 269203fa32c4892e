// toolchainDirectories finds where the interpreters really live, through PATH and symlinks, without starting them.
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { toolchainDirectories } from "../../src/runtime/sandbox/toolchain-reach.js";

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratch(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "rfsn-toolchain-")));
  made.push(dir);
  return dir;
}

describe("toolchainDirectories", () => {
  it("names node's directory and the real directory of a python3 reached through a symlink on PATH", () => {
    const root = scratch();
    const privateHome = join(root, "home", ".pyenv", "versions", "3.11", "bin");
    mkdirSync(privateHome, { recursive: true });
    writeFileSync(join(privateHome, "python3.11"), "#!/bin/sh\n");
    chmodSync(join(privateHome, "python3.11"), 0o755);
    const shims = join(root, "shims");
    mkdirSync(shims);
    symlinkSync(join(privateHome, "python3.11"), join(shims, "python3"));
    const dirs = toolchainDirectories(process.execPath, [join(root, "empty"), shims].join(":"));
    expect(dirs).toContain(dirname(realpathSync(process.execPath)));
    expect(dirs).toContain(privateHome);
  });

  it("skips a name that is on PATH but not executable, and PATH entries that do not exist", () => {
    const root = scratch();
    writeFileSync(join(root, "python3"), "not a program\n");
    chmodSync(join(root, "python3"), 0o644);
    const dirs = toolchainDirectories(process.execPath, `${join(root, "missing")}:${root}`);
    expect(dirs).toEqual([dirname(realpathSync(process.execPath))]);
  });
});
