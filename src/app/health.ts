// The `/health` answer: database reachable (`SELECT 1`), version and uptime; 503 when the database does not answer.
import type { Database } from "../store/database.js";

export interface HealthReport {
  status: "ok" | "unavailable";
  database: "ok" | "unreachable";
  version: string;
  uptimeSeconds: number;
  error?: string;
}

export function checkHealth(
  database: Database,
  version: string,
  startedAt: number,
  now: number,
): { httpStatus: number; report: HealthReport } {
  const uptimeSeconds = Math.max(0, Math.round((now - startedAt) / 1000));
  try {
    const row = database.prepare("SELECT 1 AS ok").get() as { ok?: number } | undefined;
    if (row?.ok !== 1) throw new Error("SELECT 1 returned no row");
    return { httpStatus: 200, report: { status: "ok", database: "ok", version, uptimeSeconds } };
  } catch (error) {
    return {
      httpStatus: 503,
      report: {
        status: "unavailable",
        database: "unreachable",
        version,
        uptimeSeconds,
        error: error instanceof Error ? error.message : String(error),
      },
    };
  }
}
