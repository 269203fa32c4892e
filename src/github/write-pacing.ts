// Spaces GitHub writes as GitHub asks of integrations: 1 s between writes, 3 s between writes that notify people.

/** How a request counts for pacing: reads and token exchanges are never delayed. */
export type PacingClass = "unpaced" | "write" | "notification";

export const WRITE_SPACING_MS = 1_000;
export const NOTIFICATION_SPACING_MS = 3_000;

const PACED_METHODS = new Set(["POST", "PATCH", "PUT", "DELETE"]);

/**
 * Operations flagged `x-github.triggersNotification` in GitHub's OpenAPI description (api.github.com): each sends
 * e-mails or notifications, so GitHub's secondary limits are stricter for them.
 */
const NOTIFICATION_ROUTES = [
  "POST /orgs/{org}/invitations",
  "DELETE /orgs/{org}/invitations/{invitation_id}",
  "PUT /repos/{owner}/{repo}/collaborators/{username}",
  "POST /repos/{owner}/{repo}/commits/{commit_sha}/comments",
  "POST /repos/{owner}/{repo}/issues",
  "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
  "POST /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by",
  "DELETE /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by/{issue_id}",
  "POST /repos/{owner}/{repo}/issues/{issue_number}/issue-field-values",
  "PUT /repos/{owner}/{repo}/issues/{issue_number}/issue-field-values",
  "DELETE /repos/{owner}/{repo}/issues/{issue_number}/issue-field-values/{issue_field_id}",
  "DELETE /repos/{owner}/{repo}/issues/{issue_number}/sub_issue",
  "PATCH /repos/{owner}/{repo}/issues/{issue_number}/sub_issues/priority",
  "POST /repos/{owner}/{repo}/pulls",
  "POST /repos/{owner}/{repo}/pulls/{pull_number}/comments",
  "POST /repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies",
  "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge",
  "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge-async",
  "POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
  "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
  "POST /repos/{owner}/{repo}/releases",
];

/** Token exchanges: Probot and @octokit/auth-app make them inside other requests, so pacing them would stall those. */
const AUTH_ROUTES = [
  "POST /app/installations/{installation_id}/access_tokens",
  "POST /applications/{client_id}/token",
  "PATCH /applications/{client_id}/token/scoped",
  "POST /login/oauth/access_token",
];

interface Route {
  method: string;
  segments: string[];
}

function parseRoute(route: string): Route {
  const [method = "", path = ""] = route.split(" ");
  return { method, segments: path.split("/") };
}

const notificationRoutes = NOTIFICATION_ROUTES.map(parseRoute);
const authRoutes = AUTH_ROUTES.map(parseRoute);

/** `{name}` in a route matches any one non-empty path segment. */
function matches(route: Route, method: string, segments: string[]): boolean {
  if (route.method !== method || route.segments.length !== segments.length) return false;
  return route.segments.every((part, index) => {
    const actual = segments[index] ?? "";
    return part.startsWith("{") ? actual !== "" : part === actual;
  });
}

/**
 * The API path of a request: Octokit passes either a route template (`/repos/{owner}/{repo}/issues`) or an
 * absolute URL (pagination links), whose base path (`/api/v3` on GitHub Enterprise Server) is dropped.
 */
function apiPath(url: string, baseUrl: string | undefined): string {
  const withoutQuery = url.split("?")[0] ?? "";
  if (!/^https?:\/\//i.test(withoutQuery)) return withoutQuery;
  const pathname = new URL(withoutQuery).pathname;
  const basePath = baseUrl ? new URL(baseUrl).pathname.replace(/\/+$/, "") : "";
  return basePath && pathname.startsWith(`${basePath}/`) ? pathname.slice(basePath.length) : pathname;
}

/** Whether and how strictly a request must be spaced from the previous writes. */
export function pacingClass(method: string, url: string, baseUrl?: string): PacingClass {
  const verb = method.toUpperCase();
  if (!PACED_METHODS.has(verb)) return "unpaced";
  const segments = apiPath(url, baseUrl).split("/");
  if (authRoutes.some((route) => matches(route, verb, segments))) return "unpaced";
  return notificationRoutes.some((route) => matches(route, verb, segments)) ? "notification" : "write";
}

/**
 * Hands out start times for writes in call order: each write starts at least 1 s after the previous write and
 * each notification 3 s after the previous notification. Only timestamps are kept; nothing waits when no write
 * is recent.
 */
export class WritePacer {
  #nextWriteAt = Number.NEGATIVE_INFINITY;
  #nextNotificationAt = Number.NEGATIVE_INFINITY;
  readonly #now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  /** Reserves the next slot for a request of this class; returns how many milliseconds to wait for it (0: go now). */
  reserve(kind: PacingClass): number {
    if (kind === "unpaced") return 0;
    const now = this.#now();
    const notifies = kind === "notification";
    const start = Math.max(now, this.#nextWriteAt, notifies ? this.#nextNotificationAt : now);
    this.#nextWriteAt = start + WRITE_SPACING_MS;
    if (notifies) this.#nextNotificationAt = start + NOTIFICATION_SPACING_MS;
    return start - now;
  }
}
