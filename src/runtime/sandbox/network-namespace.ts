// Creates and removes the loopback-only network namespaces sandboxed runs enter (iproute2), and sweeps those a dead RFSN left behind.
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";

const NAMESPACE_DIR = "/run/netns";
const PREFIX = "rfsn-";

import { runTrustedToolSync } from "../process.js";

class NetworkNamespaceError extends Error {
  constructor(args: string[]) {
    super(
      `\`ip ${args.join(" ")}\` failed: RFSN needs root and iproute2 to close the network of sandboxed runs`,
    );
    this.name = "NetworkNamespaceError";
  }
}

function ip(args: string[]): void {
  if (!runTrustedToolSync(["ip", ...args])) throw new NetworkNamespaceError(args);
}

/** The names of RFSN's network namespaces that exist now. */
export function listRfsnNamespaces(): string[] {
  try {
    return readdirSync(NAMESPACE_DIR).filter((name) => name.startsWith(PREFIX));
  } catch {
    return [];
  }
}

function ownerPid(name: string): number | null {
  const match = /^rfsn-(\d+)-[0-9a-f]+$/.exec(name);
  return match ? Number(match[1]) : null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes RFSN namespaces whose creating process is gone (a crash or SIGKILL skipped their removal). */
export function removeOrphanedNamespaces(): void {
  for (const name of listRfsnNamespaces()) {
    const pid = ownerPid(name);
    if (pid !== null && pid !== process.pid && !alive(pid)) removeNamespace(name);
  }
}

/** Removes a namespace; quiet when it is already gone. */
export function removeNamespace(name: string): void {
  try {
    ip(["netns", "delete", name]);
  } catch {
    // Already gone.
  }
}

const living = new Set<string>();
let exitHookInstalled = false;

/** A namespace with only `lo` (up): the sandbox reaches its own 127.0.0.1 and nothing else. */
export interface ClosedNetwork {
  name: string;
  /** What `nsenter --net=` takes. */
  path: string;
  remove(): void;
}

/** Creates a closed network namespace named after this process; it is removed by `remove()` or when RFSN exits. */
export function createClosedNetwork(): ClosedNetwork {
  const name = `${PREFIX}${process.pid}-${randomBytes(4).toString("hex")}`;
  ip(["netns", "add", name]);
  try {
    ip(["-n", name, "link", "set", "lo", "up"]);
  } catch (error) {
    removeNamespace(name);
    throw error;
  }
  living.add(name);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", () => {
      for (const left of living) removeNamespace(left);
    });
  }
  return {
    name,
    path: `${NAMESPACE_DIR}/${name}`,
    remove() {
      if (!living.delete(name)) return;
      removeNamespace(name);
    },
  };
}
