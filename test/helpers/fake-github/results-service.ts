// The Actions results service as @actions/artifact talks to it: twirp CreateArtifact/FinalizeArtifact and the blob upload.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

export interface RuntimeRun {
  owner: string;
  repo: string;
  runId: number;
}

interface PendingUpload {
  run: RuntimeRun;
  name: string;
  blocks: Map<string, Buffer>;
  blob: Buffer | null;
}

const TWIRP = "/twirp/github.actions.results.api.v1.ArtifactService/";
const BLOB = "/_fake/blob/";

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

export class FakeResultsService {
  private readonly runs = new Map<string, RuntimeRun>();
  private readonly uploads = new Map<string, PendingUpload>();

  constructor(
    private readonly serverUrl: () => string,
    private readonly store: (run: RuntimeRun, name: string, zip: Buffer) => number,
  ) {}

  /** An `ACTIONS_RUNTIME_TOKEN` for one run, shaped as the artifact client reads it (the `scp` claim names the run). */
  runtimeToken(run: RuntimeRun): string {
    const backendId = randomUUID();
    this.runs.set(backendId, run);
    const claims = {
      scp: `Actions.GenericRead Actions.Results:${backendId}:${randomUUID()}`,
      exp: 4102444800,
    };
    return `${base64url({ alg: "none", typ: "JWT" })}.${base64url(claims)}.fake-signature`;
  }

  /** Answers the request when it is for the results service or its blob storage; false when it is not. */
  handle(request: IncomingMessage, url: URL, body: Buffer, response: ServerResponse): boolean {
    if (url.pathname.startsWith(TWIRP)) {
      this.twirp(url.pathname.slice(TWIRP.length), request, body, response);
      return true;
    }
    if (url.pathname.startsWith(BLOB) && request.method === "PUT") {
      this.blob(url, body, response);
      return true;
    }
    return false;
  }

  private json(response: ServerResponse, status: number, value: unknown): void {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(value));
  }

  private twirp(method: string, request: IncomingMessage, body: Buffer, response: ServerResponse): void {
    const message = JSON.parse(body.toString("utf8") || "{}") as Record<string, unknown>;
    const run = this.runs.get(String(message.workflow_run_backend_id ?? message.workflowRunBackendId ?? ""));
    if (!run || !/^Bearer /.test(request.headers.authorization ?? "")) {
      this.json(response, 401, { code: "unauthenticated", msg: "unknown run or missing runtime token" });
      return;
    }
    const name = String(message.name ?? "");
    const key = `${run.owner}/${run.repo}/${run.runId}/${name}`;
    if (method === "CreateArtifact") {
      if (this.uploads.has(key)) {
        this.json(response, 409, { code: "already_exists", msg: `an artifact named ${name} already exists` });
        return;
      }
      this.uploads.set(key, { run, name, blocks: new Map(), blob: null });
      const signed = `${this.serverUrl()}${BLOB}devstoreaccount1/artifacts/${encodeURIComponent(key)}?sig=fake`;
      this.json(response, 200, { ok: true, signed_upload_url: signed });
      return;
    }
    if (method === "FinalizeArtifact") {
      const upload = this.uploads.get(key);
      if (!upload?.blob) {
        this.json(response, 404, { code: "not_found", msg: `nothing was uploaded for ${name}` });
        return;
      }
      const id = this.store(upload.run, upload.name, upload.blob);
      this.json(response, 200, { ok: true, artifact_id: String(id) });
      return;
    }
    this.json(response, 404, { code: "bad_route", msg: `fake results service has no ${method}` });
  }

  private blob(url: URL, body: Buffer, response: ServerResponse): void {
    const key = decodeURIComponent(url.pathname.slice(`${BLOB}devstoreaccount1/artifacts/`.length));
    const upload = this.uploads.get(key);
    if (!upload) {
      response.writeHead(404).end();
      return;
    }
    const comp = url.searchParams.get("comp");
    if (comp === "block") upload.blocks.set(url.searchParams.get("blockid") ?? "", body);
    else if (comp === "blocklist") {
      const ids = [...body.toString("utf8").matchAll(/<(?:Latest|Committed|Uncommitted)>([^<]*)<\//g)].map(
        (match) => match[1] ?? "",
      );
      upload.blob = Buffer.concat(ids.map((id) => upload.blocks.get(id) ?? Buffer.alloc(0)));
    } else upload.blob = body;
    response.writeHead(201, {
      "x-ms-request-id": randomUUID(),
      "x-ms-version": "2024-05-04",
      etag: `"0x${Date.now().toString(16)}"`,
      "last-modified": new Date().toUTCString(),
      "x-ms-request-server-encrypted": "true",
    });
    response.end();
  }
}
