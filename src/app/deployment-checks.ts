// Judges a deployment from what was gathered: the App's permissions and events against app.yml, the clock, the webhook URL.
import { parse } from "yaml";

export type CheckStatus = "ok" | "warn" | "fail";

export interface CheckResult {
  name: string;
  status: CheckStatus;
  /** What was found, and for warn/fail what to do about it. */
  detail: string;
}

const LEVELS: Record<string, number> = { none: 0, read: 1, write: 2, admin: 3 };

/** The permissions and events app.yml asks for. */
export function requestedByManifest(appYml: string): {
  permissions: Record<string, string>;
  events: string[];
} {
  const manifest = (parse(appYml) ?? {}) as {
    default_permissions?: Record<string, string>;
    default_events?: string[];
  };
  return {
    permissions: { ...(manifest.default_permissions ?? {}) },
    events: [...(manifest.default_events ?? [])],
  };
}

/** Each permission or event app.yml asks for and the App lacks (or has at a lower level) fails; extra ones warn. */
export function comparePermissions(
  requested: { permissions: Record<string, string>; events: string[] },
  granted: { permissions: Record<string, string>; events: string[] },
  settingsUrl: string,
): CheckResult[] {
  const missing: string[] = [];
  for (const [name, level] of Object.entries(requested.permissions)) {
    const has = granted.permissions[name];
    if ((LEVELS[has ?? "none"] ?? 0) < (LEVELS[level] ?? 0))
      missing.push(`${name}: ${level} (has ${has ?? "none"})`);
  }
  const missingEvents = requested.events.filter((event) => !granted.events.includes(event));
  const extra = Object.keys(granted.permissions).filter((name) => !(name in requested.permissions));
  const results: CheckResult[] = [
    missing.length === 0
      ? {
          name: "permissions",
          status: "ok",
          detail: `every permission app.yml asks for is granted (${Object.keys(requested.permissions).length})`,
        }
      : {
          name: "permissions",
          status: "fail",
          detail: `missing ${missing.join(", ")}: raise them at ${settingsUrl}/permissions (each installation must then accept the change)`,
        },
    missingEvents.length === 0
      ? { name: "events", status: "ok", detail: `subscribed to ${requested.events.join(", ")}` }
      : {
          name: "events",
          status: "fail",
          detail: `not subscribed to ${missingEvents.join(", ")}: tick them at ${settingsUrl}/permissions ("Subscribe to events")`,
        },
  ];
  if (extra.length > 0) {
    results.push({
      name: "extra permissions",
      status: "warn",
      detail: `the App has permissions app.yml does not ask for (${extra.join(", ")}); remove them unless another tool needs them`,
    });
  }
  return results;
}

/** GitHub rejects App JWTs whose times are off by more than about a minute; warn from 10 s, fail from 30 s. */
export function clockSkew(serverTimeMs: number | null, localTimeMs: number): CheckResult {
  if (serverTimeMs === null)
    return { name: "clock", status: "warn", detail: "GitHub's answer had no Date header; clock not checked" };
  const skew = Math.round((localTimeMs - serverTimeMs) / 1000);
  const detail = `local clock ${skew === 0 ? "matches GitHub's" : `is ${Math.abs(skew)} s ${skew > 0 ? "ahead of" : "behind"} GitHub's`}`;
  if (Math.abs(skew) >= 30)
    return {
      name: "clock",
      status: "fail",
      detail: `${detail}: sync it (NTP, e.g. systemd-timesyncd or chrony); App tokens fail beyond about 60 s`,
    };
  if (Math.abs(skew) >= 10)
    return { name: "clock", status: "warn", detail: `${detail}: consider syncing it with NTP` };
  return { name: "clock", status: "ok", detail };
}

/** The webhook URL in the App's settings must be an address GitHub can reach, not a placeholder. */
export function webhookUrlCheck(url: string | null, settingsUrl: string): CheckResult {
  if (url === null || url === "")
    return {
      name: "webhook URL",
      status: "fail",
      detail: `the App has no webhook URL: set it at ${settingsUrl} to https://<your host>/api/github/webhooks`,
    };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { name: "webhook URL", status: "fail", detail: `"${url}" is not a URL: fix it at ${settingsUrl}` };
  }
  if (/(^|\.)example\.(com|org|net)$/.test(parsed.hostname))
    return {
      name: "webhook URL",
      status: "fail",
      detail: `${url} is a placeholder: set your deployment's address at ${settingsUrl}`,
    };
  if (/^(localhost|127\.|0\.0\.0\.0|\[::1\])/.test(parsed.hostname))
    return {
      name: "webhook URL",
      status: "fail",
      detail: `${url} is this machine's loopback address, which GitHub cannot reach: use RFSN_PUBLIC_URL or WEBHOOK_PROXY_URL`,
    };
  if (parsed.protocol !== "https:")
    return {
      name: "webhook URL",
      status: "warn",
      detail: `${url} is not HTTPS: webhook payloads would travel in clear text`,
    };
  return { name: "webhook URL", status: "ok", detail: url };
}
