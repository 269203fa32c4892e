// Reads the HTTP status and GitHub's error message out of an error thrown by Octokit, without depending on its class.
export function statusOf(error: unknown): number | null {
  if (typeof error === "object" && error !== null && "status" in error) {
    const status = (error as { status: unknown }).status;
    return typeof status === "number" ? status : null;
  }
  return null;
}

/** GitHub's `message` plus each `errors[].message`, e.g. "Validation Failed: A pull request already exists for o:b." */
export function githubMessage(error: unknown): string {
  const data = (error as { response?: { data?: unknown } } | null)?.response?.data;
  if (typeof data === "object" && data !== null) {
    const record = data as { message?: unknown; errors?: unknown };
    const details = Array.isArray(record.errors)
      ? record.errors
          .map((entry) =>
            typeof entry === "object" && entry !== null ? (entry as { message?: unknown }).message : entry,
          )
          .filter((entry): entry is string => typeof entry === "string")
      : [];
    const message = typeof record.message === "string" ? record.message : "";
    return [message, ...details].filter(Boolean).join(": ");
  }
  return error instanceof Error ? error.message : String(error);
}
