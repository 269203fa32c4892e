// The trusted publisher shared by the Action's publish step and the App: read a repair artifact, commit its patch, open the PR.
export {
  ARTIFACT_NAME,
  type ArtifactDigest,
  DIGEST_FILE,
  MAX_PATCH_BYTES,
  MAX_REPORT_BYTES,
  PATCH_FILE,
  REPORT_FILE,
  type RepairArtifact,
  readRepairArtifact,
  repairArtifactFiles,
} from "./artifact.js";
export { downloadRepairArtifact } from "./download.js";
export { ArtifactRejectedError, PatchRejectedError, PublishError } from "./errors.js";
export {
  BOT_AUTHOR,
  type CommitRequest,
  createRepairCommit,
  FIX_BRANCH_PREFIX,
  isFixBranch,
  type PublishRequest,
  type PublishResult,
  publishRepair,
} from "./publish.js";
export { unzipArtifact } from "./unzip.js";
