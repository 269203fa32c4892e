// Builds the argv that runs a command sandboxed: network namespace, PID namespace, then another uid without privileges.

/** Who a sandboxed run is and where it may keep private files. */
export interface SandboxIdentity {
  uid: number;
  gid: number;
  /** Private HOME of this uid (mode 0700, owned by it); TMPDIR and XDG directories live inside. */
  home: string;
}

export type IsolationLevel = "full" | "partial" | "none";

export interface LaunchSettings {
  level: Exclude<IsolationLevel, "none">;
  /** Path of the closed network namespace to enter (`/run/netns/<name>`), or null when the network stays open. */
  networkNamespace: string | null;
}

/**
 * The argv that runs `command args` as `identity`: `full` adds a PID namespace (with its own /proc) and, unless the
 * network is open, the session's loopback-only network namespace; `partial` only switches uid. Never a shell.
 */
export function sandboxArgv(
  command: string,
  args: readonly string[],
  identity: SandboxIdentity,
  settings: LaunchSettings,
): string[] {
  const dropPrivileges = [
    "setpriv",
    `--reuid=${identity.uid}`,
    `--regid=${identity.gid}`,
    "--clear-groups",
    "--no-new-privs",
    "--inh-caps=-all",
    "--bounding-set=-all",
    "--",
  ];
  if (settings.level === "partial") return [...dropPrivileges, command, ...args];
  const network = settings.networkNamespace ? ["nsenter", `--net=${settings.networkNamespace}`, "--"] : [];
  return [
    ...network,
    "unshare",
    "--pid",
    "--fork",
    "--kill-child",
    "--mount-proc",
    "--",
    // PID 1 of a namespace ignores signals it has no handler for (a test killing itself would hang): a second
    // unshare is PID 1 and waits, the command runs as PID 2 with ordinary signal semantics. A command killed by a
    // signal then ends with exit code 1 (PID 1 cannot re-raise the signal on itself).
    "unshare",
    "--fork",
    "--kill-child",
    "--",
    ...dropPrivileges,
    command,
    ...args,
  ];
}

/** The variables a sandboxed run gets on top of its scrubbed environment: a HOME, TMPDIR and XDG dirs of its own. */
export function privateDirectoriesEnvironment(identity: SandboxIdentity): Record<string, string> {
  const tmp = `${identity.home}/tmp`;
  return {
    HOME: identity.home,
    TMPDIR: tmp,
    TMP: tmp,
    TEMP: tmp,
    XDG_CACHE_HOME: `${identity.home}/.cache`,
    XDG_CONFIG_HOME: `${identity.home}/.config`,
    XDG_DATA_HOME: `${identity.home}/.local/share`,
    XDG_STATE_HOME: `${identity.home}/.local/state`,
    USER: `rfsn-sandbox-${identity.uid}`,
    LOGNAME: `rfsn-sandbox-${identity.uid}`,
  };
}
