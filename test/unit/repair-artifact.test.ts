// The repair artifact as the publisher reads it: sizes, shapes and digests checked; archives unzipped within limits.
import { zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { emptyRepairReport, type RepairReport } from "../../src/core/report.js";
import {
  ArtifactRejectedError,
  readRepairArtifact,
  repairArtifactFiles,
  unzipArtifact,
} from "../../src/github/publisher/index.js";

const FAILING = "0123456789abcdef0123456789abcdef01234567";
const DIFF = "--- a/src/math.js\n+++ b/src/math.js\n@@ -1 +1 @@\n-  return a - b;\n+  return a + b;\n";

function fixedReport(diff = DIFF): RepairReport {
  const report = emptyRepairReport({
    sessionId: "s1",
    outcome: "fixed",
    outcomeReason: "one plausible patch",
    startedAt: "2026-12-07T13:00:00Z",
  });
  return {
    ...report,
    patch: { diff, operator: "binary_operator", rationale: "- to +", files: ["src/math.js"] },
  };
}

function zip(files: Map<string, Buffer>): Buffer {
  return Buffer.from(
    zipSync(Object.fromEntries([...files].map(([name, bytes]) => [name, new Uint8Array(bytes)]))),
  );
}

function rejection(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ArtifactRejectedError);
    return (error as Error).message;
  }
  throw new Error("expected an ArtifactRejectedError");
}

describe("readRepairArtifact", () => {
  it("reads back what the repair job wrote, through a zip archive", () => {
    const files = repairArtifactFiles(fixedReport(), FAILING, "42");
    const artifact = readRepairArtifact(unzipArtifact(zip(files)));
    expect(artifact.patch).toBe(DIFF);
    expect(artifact.report.outcome).toBe("fixed");
    expect(artifact.digest).toMatchObject({ version: 1, failingCommit: FAILING, runId: "42" });
  });

  it("accepts an empty patch for a repair that found none", () => {
    const report = { ...fixedReport(), outcome: "not_fixed" as const, patch: null };
    expect(readRepairArtifact(repairArtifactFiles(report, FAILING, "1")).patch).toBe("");
  });

  it("rejects a patch changed after the digest was made", () => {
    const files = repairArtifactFiles(fixedReport(), FAILING, "1");
    files.set("patch.diff", Buffer.from(DIFF.replace("a + b", "a * b")));
    expect(rejection(() => readRepairArtifact(files))).toMatch(/patch.diff does not match patchSha256/);
  });

  it("rejects a report changed after the digest was made", () => {
    const files = repairArtifactFiles(fixedReport(), FAILING, "1");
    files.set("report.json", Buffer.from(JSON.stringify({ ...fixedReport(), outcomeReason: "forged" })));
    expect(rejection(() => readRepairArtifact(files))).toMatch(/report.json does not match/);
  });

  it("rejects a patch that differs from the report's, even with matching digests", () => {
    const report = fixedReport();
    const files = repairArtifactFiles(report, FAILING, "1");
    const other = repairArtifactFiles(fixedReport(DIFF.replace("a + b", "a * b")), FAILING, "1");
    const digest = JSON.parse(String(other.get("digest.json")));
    digest.reportSha256 = JSON.parse(String(files.get("digest.json"))).reportSha256;
    files.set("patch.diff", other.get("patch.diff") ?? Buffer.alloc(0));
    files.set("digest.json", Buffer.from(JSON.stringify(digest)));
    expect(rejection(() => readRepairArtifact(files))).toMatch(/differs from the patch in report.json/);
  });

  it("rejects a patch larger than 1 MiB and a report larger than 4 MiB before hashing them", () => {
    const files = repairArtifactFiles(fixedReport(), FAILING, "1");
    expect(
      rejection(() =>
        readRepairArtifact(new Map([...files, ["patch.diff", Buffer.alloc(1024 * 1024 + 1, 97)]])),
      ),
    ).toMatch(/patch.diff is 1048577 bytes \(limit 1048576\)/);
    expect(
      rejection(() =>
        readRepairArtifact(new Map([...files, ["report.json", Buffer.alloc(4 * 1024 * 1024 + 1)]])),
      ),
    ).toMatch(/report.json is \d+ bytes/);
  });

  it("rejects missing and unexpected files, bad JSON and wrong shapes", () => {
    const files = repairArtifactFiles(fixedReport(), FAILING, "1");
    const without = new Map(files);
    without.delete("digest.json");
    expect(rejection(() => readRepairArtifact(without))).toMatch(/digest.json is missing/);
    expect(rejection(() => readRepairArtifact(new Map([...files, ["run.sh", Buffer.from("x")]])))).toMatch(
      /unexpected files run.sh/,
    );
    expect(
      rejection(() => readRepairArtifact(new Map([...files, ["digest.json", Buffer.from("{not json")]]))),
    ).toMatch(/digest.json is not JSON/);
    const digest = JSON.parse(String(files.get("digest.json")));
    const badCommit = { ...digest, failingCommit: "HEAD" };
    expect(
      rejection(() =>
        readRepairArtifact(new Map([...files, ["digest.json", Buffer.from(JSON.stringify(badCommit))]])),
      ),
    ).toMatch(/digest.json failingCommit: must be a 40-hex commit id/);
    const shapeless = repairArtifactFiles({ ...fixedReport(), outcome: "great" as never }, FAILING, "1");
    expect(rejection(() => readRepairArtifact(shapeless))).toMatch(/report.json outcome/);
  });

  it("rejects a patch that comes with an outcome other than fixed", () => {
    const files = repairArtifactFiles({ ...fixedReport(), outcome: "not_fixed" }, FAILING, "1");
    expect(rejection(() => readRepairArtifact(files))).toMatch(/outcome not_fixed/);
  });
});

describe("unzipArtifact", () => {
  it("rejects an archive that is not a zip", () => {
    expect(rejection(() => unzipArtifact(Buffer.from("PK not really")))).toMatch(/not a readable zip/);
  });

  it("rejects entries with directories or .. in their names", () => {
    const archive = zip(new Map([["../escape.txt", Buffer.from("x")]]));
    expect(rejection(() => unzipArtifact(archive))).toMatch(/not a plain file name/);
    const nested = zip(new Map([["dir/patch.diff", Buffer.from("x")]]));
    expect(rejection(() => unzipArtifact(nested))).toMatch(/not a plain file name/);
  });

  it("rejects too many entries", () => {
    const many = new Map(Array.from({ length: 17 }, (_, i) => [`f${i}.txt`, Buffer.from("x")] as const));
    expect(rejection(() => unzipArtifact(zip(many)))).toMatch(/more than 16 entries/);
  });

  it("rejects a zip bomb by its declared size, before inflating it", () => {
    const bomb = zip(new Map([["report.json", Buffer.alloc(7 * 1024 * 1024)]]));
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect(rejection(() => unzipArtifact(bomb))).toMatch(/bytes uncompressed/);
  });

  it("stops at the declared size when an entry lies about it", () => {
    const big = zip(new Map([["report.json", Buffer.alloc(2 * 1024 * 1024, 32)]]));
    // Rewrite the declared uncompressed size (central directory and local header) to 10 bytes.
    const lying = Buffer.from(big);
    for (let at = 0; at < lying.length - 4; at += 1) {
      const signature = lying.readUInt32LE(at);
      if (signature === 0x04034b50) lying.writeUInt32LE(10, at + 22);
      if (signature === 0x02014b50) lying.writeUInt32LE(10, at + 24);
    }
    let files: Map<string, Buffer> | null = null;
    try {
      files = unzipArtifact(lying);
    } catch (error) {
      expect(error).toBeInstanceOf(ArtifactRejectedError);
    }
    if (files) expect(files.get("report.json")?.length ?? 0).toBeLessThanOrEqual(10);
  });
});
