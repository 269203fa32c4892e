// The publisher's typed errors: an artifact it refuses, a patch it will not commit, and a GitHub state it cannot publish into.

/** The repair artifact is too large, malformed, or its digest does not match its files. */
export class ArtifactRejectedError extends Error {
  constructor(message: string) {
    super(`repair artifact rejected: ${message}`);
    this.name = "ArtifactRejectedError";
  }
}

/** The patch failed the gate, touches a path the failing commit's tree does not allow, or does not apply: reported, never forced. */
export class PatchRejectedError extends Error {
  /** A gate rejection type (`protected_path`, …), `path` for a tree-resolution problem, or `apply` when a hunk does not fit. */
  readonly kind: string;
  constructor(kind: string, message: string) {
    super(`patch rejected (${kind}): ${message}`);
    this.name = "PatchRejectedError";
    this.kind = kind;
  }
}

/** GitHub's state does not allow publishing (unknown commit, a branch that is not RFSN's own, a truncated tree). */
export class PublishError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PublishError";
  }
}
