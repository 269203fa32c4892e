// Downloads the repair artifact of one workflow run through the REST API and reads it as the publisher trusts nothing in it.
import type { GitHubClient } from "../octokit.js";
import { ARTIFACT_NAME, type RepairArtifact, readRepairArtifact } from "./artifact.js";
import { ArtifactRejectedError } from "./errors.js";
import { MAX_ARCHIVE_BYTES, unzipArtifact } from "./unzip.js";

/** The `rfsn-repair` artifact of run `runId`, unzipped and checked; throws ArtifactRejectedError when it is missing. */
export async function downloadRepairArtifact(
  client: GitHubClient,
  query: { owner: string; repo: string; runId: number },
): Promise<RepairArtifact> {
  const { data } = await client.rest.actions.listWorkflowRunArtifacts({
    owner: query.owner,
    repo: query.repo,
    run_id: query.runId,
    name: ARTIFACT_NAME,
    per_page: 10,
  });
  const artifacts = data.artifacts.filter((artifact) => artifact.name === ARTIFACT_NAME && !artifact.expired);
  if (artifacts.length !== 1) {
    throw new ArtifactRejectedError(
      `run ${query.runId} has ${artifacts.length} unexpired artifacts named ${ARTIFACT_NAME} (expected exactly one)`,
    );
  }
  const [artifact] = artifacts;
  if (!artifact) throw new ArtifactRejectedError(`run ${query.runId} has no ${ARTIFACT_NAME} artifact`);
  if (artifact.size_in_bytes > MAX_ARCHIVE_BYTES)
    throw new ArtifactRejectedError(
      `the archive is ${artifact.size_in_bytes} bytes (limit ${MAX_ARCHIVE_BYTES})`,
    );
  // GitHub answers 302 to a short-lived archive URL; the client follows it and returns the bytes.
  const { data: archive } = await client.rest.actions.downloadArtifact({
    owner: query.owner,
    repo: query.repo,
    artifact_id: artifact.id,
    archive_format: "zip",
  });
  if (!(archive instanceof ArrayBuffer))
    throw new ArtifactRejectedError("the artifact download did not return a zip archive");
  return readRepairArtifact(unzipArtifact(Buffer.from(archive)));
}
