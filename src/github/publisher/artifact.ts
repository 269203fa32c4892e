// The repair artifact (patch.diff, report.json, digest.json): built by the repair job, read and checked by the publisher.
import { createHash } from "node:crypto";
import { z } from "zod";
import type { RepairReport } from "../../core/report.js";
import { ArtifactRejectedError } from "./errors.js";

export const ARTIFACT_NAME = "rfsn-repair";
export const PATCH_FILE = "patch.diff";
export const REPORT_FILE = "report.json";
export const DIGEST_FILE = "digest.json";
export const MAX_PATCH_BYTES = 1024 * 1024;
export const MAX_REPORT_BYTES = 4 * 1024 * 1024;
const MAX_DIGEST_BYTES = 4096;

export interface ArtifactDigest {
  version: 1;
  /** The commit the repair job worked on, as it saw it: compared with the trusted record, never used instead of it. */
  failingCommit: string;
  runId: string;
  patchSha256: string;
  reportSha256: string;
}

export interface RepairArtifact {
  patch: string;
  report: RepairReport;
  digest: ArtifactDigest;
}

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex digits");

const digestSchema = z.strictObject({
  version: z.literal(1),
  failingCommit: z.string().regex(/^[0-9a-f]{40}$/, "must be a 40-hex commit id"),
  runId: z.string().max(40),
  patchSha256: sha256Hex,
  reportSha256: sha256Hex,
});

const count = z.number().int().nonnegative();
const shortText = z.string().max(10_000);

/** The fields the publisher and its renderers read; everything else in the report passes through unchecked. */
const reportSchema = z.looseObject({
  version: z.literal(1),
  sessionId: z.string().max(200),
  outcome: z.enum(["fixed", "not_fixed", "no_failure", "flaky", "cannot_run"]),
  outcomeReason: shortText,
  testCommand: z.array(z.string().max(1000)).max(200),
  runner: z.string().max(200),
  startedAt: z.string().max(100),
  durationMs: z.number().nonnegative(),
  iterations: count,
  candidates: z.looseObject({
    generated: count,
    tried: count,
    accepted: count,
    plausible: count,
    rejectedByGate: z.record(z.string(), count),
    rejectedByValidation: z.record(z.string(), count),
  }),
  testRuns: count,
  testRunMs: z.number().nonnegative(),
  baseline: z.looseObject({
    failing: z.array(z.looseObject({ name: z.string().max(2000) })).max(1000),
    passingCount: count,
    suiteRunMs: z.number().nonnegative(),
  }),
  phases: z.array(z.looseObject({ phase: z.string(), durationMs: z.number() })).max(100),
  timeline: z.array(z.looseObject({ atMs: z.number(), event: z.string() })).max(10_000),
  locations: z.array(z.looseObject({})).max(100),
  patch: z
    .looseObject({
      diff: z.string(),
      operator: z.string().max(100),
      rationale: shortText,
      files: z.array(z.string().max(4096)).max(100),
    })
    .nullable(),
  alternatives: z.array(z.looseObject({ diff: z.string(), rationale: shortText })).max(100),
  attempts: z.array(z.looseObject({ verdict: z.string().max(200) })).max(10_000),
  notes: z.array(z.string().max(1000)).max(50).optional(),
});

export function sha256(bytes: Buffer | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function file(files: Map<string, Buffer>, name: string, limit: number): Buffer {
  const bytes = files.get(name);
  if (!bytes) throw new ArtifactRejectedError(`${name} is missing`);
  if (bytes.length > limit)
    throw new ArtifactRejectedError(`${name} is ${bytes.length} bytes (limit ${limit})`);
  return bytes;
}

function utf8(name: string, bytes: Buffer): string {
  const text = bytes.toString("utf8");
  if (!Buffer.from(text, "utf8").equals(bytes)) throw new ArtifactRejectedError(`${name} is not UTF-8 text`);
  return text;
}

function json(name: string, bytes: Buffer): unknown {
  try {
    return JSON.parse(utf8(name, bytes));
  } catch (error) {
    if (error instanceof ArtifactRejectedError) throw error;
    throw new ArtifactRejectedError(`${name} is not JSON: ${(error as Error).message}`);
  }
}

function shapeProblem(name: string, error: z.ZodError): ArtifactRejectedError {
  const issue = error.issues[0];
  const where = issue?.path.length ? issue.path.join(".") : "(top level)";
  return new ArtifactRejectedError(`${name} ${where}: ${issue?.message ?? "has the wrong shape"}`);
}

/** Validates sizes (patch ≤ 1 MiB, report ≤ 4 MiB), JSON shapes and digests; throws ArtifactRejectedError. */
export function readRepairArtifact(files: Map<string, Buffer>): RepairArtifact {
  const unexpected = [...files.keys()].filter(
    (name) => name !== PATCH_FILE && name !== REPORT_FILE && name !== DIGEST_FILE,
  );
  if (unexpected.length > 0)
    throw new ArtifactRejectedError(`unexpected files ${unexpected.slice(0, 5).join(", ")}`);
  const patchBytes = file(files, PATCH_FILE, MAX_PATCH_BYTES);
  const reportBytes = file(files, REPORT_FILE, MAX_REPORT_BYTES);
  const digestParsed = digestSchema.safeParse(json(DIGEST_FILE, file(files, DIGEST_FILE, MAX_DIGEST_BYTES)));
  if (!digestParsed.success) throw shapeProblem(DIGEST_FILE, digestParsed.error);
  const digest = digestParsed.data;
  if (sha256(patchBytes) !== digest.patchSha256)
    throw new ArtifactRejectedError(`${PATCH_FILE} does not match patchSha256 of ${DIGEST_FILE}`);
  if (sha256(reportBytes) !== digest.reportSha256)
    throw new ArtifactRejectedError(`${REPORT_FILE} does not match reportSha256 of ${DIGEST_FILE}`);
  const patch = utf8(PATCH_FILE, patchBytes);
  const reportParsed = reportSchema.safeParse(json(REPORT_FILE, reportBytes));
  if (!reportParsed.success) throw shapeProblem(REPORT_FILE, reportParsed.error);
  const report = reportParsed.data as unknown as RepairReport;
  const reportDiff = report.patch?.diff ?? "";
  if (reportDiff !== patch)
    throw new ArtifactRejectedError(`${PATCH_FILE} differs from the patch in ${REPORT_FILE}`);
  if (patch !== "" && report.outcome !== "fixed")
    throw new ArtifactRejectedError(`a patch comes with outcome ${report.outcome}, not fixed`);
  return { patch, report, digest };
}

/** The three files of the artifact for a report, as the repair job uploads them. */
export function repairArtifactFiles(
  report: RepairReport,
  failingCommit: string,
  runId: string,
): Map<string, Buffer> {
  const patch = Buffer.from(report.patch?.diff ?? "", "utf8");
  const reportBytes = Buffer.from(`${JSON.stringify(report, null, 2)}\n`, "utf8");
  const digest: ArtifactDigest = {
    version: 1,
    failingCommit,
    runId,
    patchSha256: sha256(patch),
    reportSha256: sha256(reportBytes),
  };
  return new Map([
    [PATCH_FILE, patch],
    [REPORT_FILE, reportBytes],
    [DIGEST_FILE, Buffer.from(`${JSON.stringify(digest, null, 2)}\n`, "utf8")],
  ]);
}
