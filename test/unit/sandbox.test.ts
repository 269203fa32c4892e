// The sandbox's pure parts: the launch argv, the uid range and its claims, the isolation probe's levels, the refusal, the git include paths and the root re-exec decision.
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseRepositoryConfig } from "../../src/core/config/parse.js";
import type { RepairReport } from "../../src/core/report.js";
import { renderJobSummary, renderTextSummary } from "../../src/observability/report-markdown.js";
import { sessionSettingsFromConfig } from "../../src/repair/project-config.js";
import { includedConfigPaths, lockPaths } from "../../src/runtime/sandbox/git-directory-lock.js";
import { probeIsolationWith } from "../../src/runtime/sandbox/isolation-probe.js";
import { rootReexecArgv, shouldReexecAsRoot } from "../../src/runtime/sandbox/root-reexec.js";
import {
  freeIdsInRange,
  SandboxIdClaims,
  SandboxIdsExhaustedError,
} from "../../src/runtime/sandbox/sandbox-ids.js";
import { privateDirectoriesEnvironment, sandboxArgv } from "../../src/runtime/sandbox/sandbox-launch.js";
import { unsandboxedRefusal } from "../../src/runtime/sandbox/unsandboxed-refusal.js";

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "rfsn-sandbox-unit-"));
  scratch.push(dir);
  return dir;
}

const identity = { uid: 64201, gid: 64201, home: "/tmp/rfsn-sandbox-x/64201" };

describe("sandboxArgv", () => {
  it("enters the closed network, a PID namespace with its own /proc, then drops to the uid without privileges", () => {
    const argv = sandboxArgv("node", ["--test"], identity, {
      level: "full",
      networkNamespace: "/run/netns/rfsn-1-ab",
    });
    expect(argv.slice(0, 3)).toEqual(["nsenter", "--net=/run/netns/rfsn-1-ab", "--"]);
    expect(argv).toContain("--mount-proc");
    const setpriv = argv.indexOf("setpriv");
    expect(argv.indexOf("unshare")).toBeLessThan(setpriv);
    expect(argv.slice(setpriv, setpriv + 8)).toEqual([
      "setpriv",
      "--reuid=64201",
      "--regid=64201",
      "--clear-groups",
      "--no-new-privs",
      "--inh-caps=-all",
      "--bounding-set=-all",
      "--",
    ]);
    expect(argv.slice(-2)).toEqual(["node", "--test"]);
  });

  it("keeps the network when it is open, and only switches uid at the partial level", () => {
    const open = sandboxArgv("pytest", ["-q"], identity, { level: "full", networkNamespace: null });
    expect(open).not.toContain("nsenter");
    expect(open[0]).toBe("unshare");
    const partial = sandboxArgv("pytest", ["-q"], identity, { level: "partial", networkNamespace: null });
    expect(partial[0]).toBe("setpriv");
    expect(partial).not.toContain("unshare");
    expect(partial.slice(-2)).toEqual(["pytest", "-q"]);
  });

  it("gives the run a HOME, TMPDIR and XDG directories inside its own home", () => {
    const env = privateDirectoriesEnvironment(identity);
    expect(env.HOME).toBe(identity.home);
    expect(env.TMPDIR).toBe(`${identity.home}/tmp`);
    for (const name of ["XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"])
      expect(env[name]?.startsWith(`${identity.home}/`)).toBe(true);
  });
});

describe("sandbox uids", () => {
  it("leaves out every id an account or group uses", () => {
    const passwd = "root:x:0:0::/root:/bin/bash\nsvc:x:64200:64200::/:/bin/false\n";
    const group = "odd:x:64202:\n";
    const free = freeIdsInRange([passwd, group], 64200, 64204);
    expect(free).toEqual([64201, 64203, 64204]);
  });

  it("never hands one id to two claimants, takes over the claim of a dead process, and runs out loudly", () => {
    const dir = tempDir();
    const first = new SandboxIdClaims(dir, () => [1, 2]);
    const second = new SandboxIdClaims(dir, () => [1, 2]);
    expect(first.claim()).toBe(1);
    expect(second.claim()).toBe(2);
    expect(() => second.claim()).toThrow(SandboxIdsExhaustedError);
    second.release(2);
    // A claim left by a process that no longer exists is taken over.
    writeFileSync(join(dir, "2"), "999999999");
    expect(second.claim()).toBe(2);
    first.releaseAll();
    expect(second.claimedIds()).toEqual([2]);
  });
});

describe("isolation probe", () => {
  const network = { path: "/run/netns/fake", remove: () => {} };
  const failing = (word: string) => (argv: string[]) => !argv.includes(word);

  it("is none without root, whatever the tools could do", () => {
    expect(
      probeIsolationWith(
        false,
        () => true,
        () => network,
      ).level,
    ).toBe("none");
  });

  it("is none when setpriv cannot switch uid", () => {
    expect(probeIsolationWith(true, failing("setpriv"), () => network).level).toBe("none");
  });

  it("is partial when unshare refuses a PID namespace (Docker without CAP_SYS_ADMIN)", () => {
    const probe = probeIsolationWith(true, failing("unshare"), () => network);
    expect(probe).toMatchObject({ level: "partial" });
    expect(probe.detail).toMatch(/PID namespace/);
  });

  it("is partial when no network namespace can be made or entered", () => {
    const noNetwork = () => {
      throw new Error("ip netns add: permission denied");
    };
    expect(probeIsolationWith(true, () => true, noNetwork).level).toBe("partial");
    expect(probeIsolationWith(true, failing("nsenter"), () => network).level).toBe("partial");
  });

  it("is full when every layer works, and removes the namespace it tried", () => {
    let removed = 0;
    const probe = probeIsolationWith(
      true,
      () => true,
      () => ({ path: "/run/netns/x", remove: () => removed++ }),
    );
    expect(probe.level).toBe("full");
    expect(removed).toBe(1);
  });
});

describe("refusing to run unsandboxed", () => {
  it("refuses without isolation while a secret is present, naming the variable and the fix, never its value", () => {
    const reason = unsandboxedRefusal("none", { GITHUB_TOKEN: "ghs_value123456", PATH: "/bin" }, false);
    expect(reason).toMatch(/GITHUB_TOKEN/);
    expect(reason).toMatch(/--allow-unsandboxed/);
    expect(reason).toMatch(/allow-unsandboxed: true/);
    expect(reason).not.toMatch(/ghs_value/);
  });

  it("runs when allowed, when no secret is present, or with any isolation", () => {
    expect(unsandboxedRefusal("none", { GITHUB_TOKEN: "ghs_value123456" }, true)).toBeNull();
    expect(unsandboxedRefusal("none", { PATH: "/bin", GITHUB_TOKEN: "" }, false)).toBeNull();
    expect(unsandboxedRefusal("partial", { OPENAI_API_KEY: "sk-123456789" }, false)).toBeNull();
  });

  it("lets the repository open the network but never lower its own sandbox", () => {
    const config = parseRepositoryConfig("sandbox:\n  network: true\n");
    expect(sessionSettingsFromConfig(config).sandbox).toEqual({ network: true });
    expect(sessionSettingsFromConfig(parseRepositoryConfig("")).sandbox).toEqual({ network: false });
    expect(() => parseRepositoryConfig("sandbox:\n  allow_unsandboxed: true\n")).toThrow(/allow_unsandboxed/);
  });
});

describe("git directory lock", () => {
  it("finds include and includeIf paths, relative ones against the git directory", () => {
    const config = [
      "[core]",
      "\tbare = false",
      '[includeIf "gitdir:/home/runner/work/repo/.git"]',
      "\tpath = /home/runner/work/_temp/git-credentials-1.config",
      "[include]",
      "\tpath = extra.config",
      "\tpath = ~/.gitconfig-personal",
      '[remote "origin"]',
      "\tpath = not-an-include",
    ].join("\n");
    expect(includedConfigPaths(config, "/repo/.git")).toEqual([
      "/home/runner/work/_temp/git-credentials-1.config",
      "/repo/.git/extra.config",
    ]);
  });

  it("takes group and other permissions away and puts the exact modes back", () => {
    const dir = tempDir();
    const file = join(dir, "credentials.config");
    writeFileSync(file, "secret");
    chmodSync(file, 0o644);
    chmodSync(dir, 0o755);
    const unlock = lockPaths([dir, file, join(dir, "missing")]);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    unlock();
    expect(statSync(dir).mode & 0o777).toBe(0o755);
    expect(statSync(file).mode & 0o777).toBe(0o644);
    expect(readFileSync(file, "utf8")).toBe("secret");
  });
});

describe("re-executing as root", () => {
  it("re-executes only when not root, not yet re-executed, and sudo needs no password", () => {
    expect(shouldReexecAsRoot(true, {}, () => true).reexec).toBe(false);
    expect(shouldReexecAsRoot(false, { RFSN_ROOT_REEXEC: "1" }, () => true).reexec).toBe(false);
    expect(shouldReexecAsRoot(false, {}, () => false).reexec).toBe(false);
    expect(shouldReexecAsRoot(false, {}, () => true).reexec).toBe(true);
  });

  it("runs the same node entry and arguments through sudo -n with the environment and PATH kept", () => {
    const argv = rootReexecArgv(
      "/usr/bin/node",
      ["--enable-source-maps"],
      ["/usr/bin/node", "/app/bin/rfsn.js", "repair", "."],
      "/opt/bin:/usr/bin",
    );
    expect(argv).toEqual([
      "sudo",
      "-n",
      "--preserve-env",
      "--",
      "env",
      "PATH=/opt/bin:/usr/bin",
      "RFSN_ROOT_REEXEC=1",
      "/usr/bin/node",
      "--enable-source-maps",
      "/app/bin/rfsn.js",
      "repair",
      ".",
    ]);
  });
});

describe("the isolation in the reports", () => {
  const fixtures = join(import.meta.dirname, "../fixtures/report");
  const report = (): RepairReport => ({
    ...(JSON.parse(readFileSync(join(fixtures, "fixed.json"), "utf8")) as RepairReport),
    isolation: {
      level: "partial",
      network: "open",
      detail: "another uid only: unshare refused a PID namespace",
    },
  });

  it("shows the level, the network and why in the text summary and the job summary", () => {
    expect(renderTextSummary(report())).toContain(
      "sandbox: partial, network open (another uid only: unshare refused a PID namespace)",
    );
    expect(renderJobSummary(report())).toMatch(/\| Sandbox \| partial, network open \(another uid only/);
    const without = report();
    delete without.isolation;
    expect(renderJobSummary(without)).not.toMatch(/\| Sandbox \|/);
  });
});
