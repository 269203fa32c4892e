// Finds out once per process which isolation this machine allows: uid switch, PID namespace and network namespace (full), uid switch only (partial), or none.
import { runTrustedToolSync } from "../process.js";
import { createClosedNetwork } from "./network-namespace.js";
import { SANDBOX_ID_LAST } from "./sandbox-ids.js";
import { type IsolationLevel, sandboxArgv } from "./sandbox-launch.js";

export interface IsolationProbe {
  level: IsolationLevel;
  /** One sentence for the log and the report: what was tried and what failed. */
  detail: string;
}

/** Runs argv to completion; true when it exits with 0. */
export type ProbeRunner = (argv: string[]) => boolean;

const runQuietly: ProbeRunner = (argv) => runTrustedToolSync(argv);

const probeIdentity = { uid: SANDBOX_ID_LAST, gid: SANDBOX_ID_LAST, home: "/" };

/**
 * Tries the whole chain with `true` as the command first (one run when everything works), then the layers one by
 * one to find what is missing. Pure apart from `run` and `makeNetwork`.
 */
export function probeIsolationWith(
  isRoot: boolean,
  run: ProbeRunner,
  makeNetwork: () => { path: string; remove(): void } = createClosedNetwork,
): IsolationProbe {
  if (!isRoot)
    return {
      level: "none",
      detail:
        "RFSN does not run as root, so it cannot switch repository code to another uid (run it as root, e.g. with sudo)",
    };
  let network: { path: string; remove(): void } | null = null;
  try {
    network = makeNetwork();
  } catch {
    network = null;
  }
  let networkWorks = false;
  if (network) {
    try {
      networkWorks = run(
        sandboxArgv("true", [], probeIdentity, { level: "full", networkNamespace: network.path }),
      );
    } finally {
      network.remove();
    }
  }
  if (networkWorks)
    return { level: "full", detail: "another uid, its own PID namespace and a loopback-only network" };
  if (!run(sandboxArgv("true", [], probeIdentity, { level: "partial", networkNamespace: null })))
    return { level: "none", detail: "setpriv could not switch to an unprivileged uid" };
  if (!run(sandboxArgv("true", [], probeIdentity, { level: "full", networkNamespace: null })))
    return {
      level: "partial",
      detail: "another uid only: unshare refused a PID namespace (e.g. a container without CAP_SYS_ADMIN)",
    };
  return {
    level: "partial",
    detail: network
      ? "another uid only: nsenter could not enter a network namespace"
      : "another uid only: `ip netns add` refused a network namespace",
  };
}

let cached: IsolationProbe | undefined;

/** The isolation this process can get (probed once, then cached). */
export function probeIsolation(): IsolationProbe {
  cached ??= probeIsolationWith(process.getuid?.() === 0, runQuietly);
  return cached;
}
