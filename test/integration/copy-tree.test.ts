// Copying a project tree for a snapshot: contents, modes, links as links, skipped names, odd entries left out.
import { execFileSync } from "node:child_process";
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { copyTree } from "../../src/runtime/copy-tree.js";

const workspace = mkdtempSync(join(tmpdir(), "rfsn-copy-tree-"));

afterAll(() => {
  rmSync(workspace, { recursive: true, force: true });
});

function write(root: string, path: string, text: string): void {
  mkdirSync(join(root, path, ".."), { recursive: true });
  writeFileSync(join(root, path), text);
}

describe("copyTree", () => {
  it("copies files with their modes and links as links, and leaves out skipped names at any depth", async () => {
    const from = join(workspace, "project");
    write(from, "src/cart.js", "export const total = 1;\n");
    write(from, "src/deep/er/util.py", "x = 1\n");
    write(from, "bin/run.sh", "#!/bin/sh\necho hi\n");
    execFileSync("chmod", ["755", join(from, "bin/run.sh")]);
    write(from, "node_modules/dep/index.js", "module.exports = 1;\n");
    write(from, "src/__pycache__/util.pyc", "bytes");
    symlinkSync("../src/cart.js", join(from, "bin/cart-link.js"));
    symlinkSync("missing/target", join(from, "dangling"));
    execFileSync("mkfifo", [join(from, "pipe")]);

    const to = join(workspace, "copy");
    await copyTree(from, to, new Set(["node_modules", "__pycache__"]));

    expect(readFileSync(join(to, "src/cart.js"), "utf8")).toBe("export const total = 1;\n");
    expect(readFileSync(join(to, "src/deep/er/util.py"), "utf8")).toBe("x = 1\n");
    expect(statSync(join(to, "bin/run.sh")).mode & 0o777).toBe(0o755);
    expect(lstatSync(join(to, "bin/cart-link.js")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(to, "bin/cart-link.js"))).toBe("../src/cart.js");
    expect(readlinkSync(join(to, "dangling"))).toBe("missing/target");
    expect(readdirSync(to).sort()).toEqual(["bin", "dangling", "src"]);
    expect(readdirSync(join(to, "src")).sort()).toEqual(["cart.js", "deep"]);
  });
});
