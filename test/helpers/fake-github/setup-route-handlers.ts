// The fake GitHub's App-registration side: manifest codes and their conversion into an App, the App's own view of itself and its webhook, and a root tree listing.
import { createPublicKey, createVerify, generateKeyPairSync, randomBytes } from "node:crypto";
import { documentedExample } from "./openapi-description.js";
import { blobSha } from "./repository-state.js";
import { errorResponse, type HandlerRequest, type HandlerResponse, type World } from "./route-handlers.js";

type Json = Record<string, unknown>;
type Handler = (world: World, request: HandlerRequest) => HandlerResponse;

export interface CreatedApp {
  id: number;
  slug: string;
  pem: string;
  webhookSecret: string;
  manifest: Json;
}

/** What github.com does in the browser part of the manifest flow, and what it registered. */
export interface FakeAppRegistry {
  /** The user clicked "Create GitHub App" on the manifest form: returns the one-time code GitHub redirects with. */
  acceptManifest(manifest: Json): string;
  readonly created: CreatedApp[];
}

export function createAppRegistry(): FakeAppRegistry & { redeem(code: string): Json | undefined } {
  const codes = new Map<string, Json>();
  const created: CreatedApp[] = [];
  return {
    created,
    acceptManifest(manifest) {
      const code = randomBytes(10).toString("hex");
      codes.set(code, manifest);
      return code;
    },
    /** A code converts once (GitHub also expires it after an hour). */
    redeem(code) {
      const manifest = codes.get(code);
      codes.delete(code);
      return manifest;
    },
  };
}

function slugOf(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "app"
  );
}

function appView(app: CreatedApp): Json {
  const name = String(app.manifest.name ?? app.slug);
  return {
    ...(documentedExample("apps/get-authenticated", 200) as Json),
    id: app.id,
    slug: app.slug,
    name,
    description: String(app.manifest.description ?? ""),
    external_url: String(app.manifest.url ?? "https://example.com"),
    html_url: `https://github.com/apps/${app.slug}`,
    permissions: (app.manifest.default_permissions ?? {}) as Json,
    events: (app.manifest.default_events ?? []) as string[],
  };
}

/** The App id (`iss`) of a JWT bearer token, signature unchecked (the fake accepts any signature). */
function jwtIssuer(authorization: string | undefined): number | null {
  const token = /^bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
  const payload = token?.split(".")[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { iss?: unknown };
    return claims.iss === undefined ? null : Number(claims.iss);
  } catch {
    return null;
  }
}

/** Whether the bearer JWT's RS256 signature verifies with the public half of `privateKey`. */
function signedBy(authorization: string | undefined, privateKey: string): boolean {
  const token = /^bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1] ?? "";
  const [header, payload, signature] = token.split(".");
  if (!header || !payload || !signature) return false;
  return createVerify("RSA-SHA256")
    .update(`${header}.${payload}`)
    .verify(createPublicKey(privateKey), Buffer.from(signature, "base64url"));
}

/**
 * The handler table with the setup operations added: `apps/create-from-manifest`, an `apps/get-authenticated` that
 * answers for Apps created from a manifest (else the table's own answer), and `git/get-tree` for the root listing
 * when the table has none of its own.
 */
export function withSetupHandlers(
  handlers: Record<string, Handler>,
  registry: ReturnType<typeof createAppRegistry>,
): Record<string, Handler> {
  const ownGetAuthenticated = handlers["apps/get-authenticated"];
  const setup: Record<string, Handler> = {
    "apps/create-from-manifest": (world, request) => {
      const manifest = registry.redeem(request.params.code ?? "");
      if (!manifest) return errorResponse(404, "Not Found");
      const { privateKey } = generateKeyPairSync("rsa", {
        modulusLength: 2048,
        privateKeyEncoding: { type: "pkcs1", format: "pem" },
        publicKeyEncoding: { type: "spki", format: "pem" },
      });
      const app: CreatedApp = {
        id: world.nextId(),
        slug: slugOf(String(manifest.name ?? "app")),
        pem: privateKey,
        webhookSecret: randomBytes(20).toString("hex"),
        manifest,
      };
      registry.created.push(app);
      return {
        status: 201,
        body: {
          ...(documentedExample("apps/create-from-manifest", 201) as Json),
          ...appView(app),
          client_id: `Iv1.${randomBytes(8).toString("hex")}`,
          client_secret: randomBytes(20).toString("hex"),
          webhook_secret: app.webhookSecret,
          pem: app.pem,
        },
      };
    },
    "apps/get-webhook-config-for-app": (_world, request) => {
      const app = registry.created.find((candidate) => candidate.id === jwtIssuer(request.authorization));
      if (!app) return errorResponse(404, "Not Found");
      const hook = (app.manifest.hook_attributes ?? {}) as Json;
      return {
        status: 200,
        body: { url: String(hook.url ?? ""), content_type: "json", insecure_ssl: "0", secret: "********" },
      };
    },
    "apps/get-authenticated": (world, request) => {
      const issuer = jwtIssuer(request.authorization);
      const app = registry.created.find((candidate) => candidate.id === issuer);
      if (app) {
        // Apps registered here hold a real key: like GitHub, only a JWT signed with it is accepted.
        return signedBy(request.authorization, app.pem)
          ? { status: 200, body: appView(app) }
          : errorResponse(401, "A JSON web token could not be decoded");
      }
      if (registry.created.length > 0 && issuer !== world.appId)
        return errorResponse(401, "Integration not found");
      return ownGetAuthenticated ? ownGetAuthenticated(world, request) : errorResponse(404, "Not Found");
    },
  };
  const rootTree: Handler = (world, request) => {
    const repository = world.repository(request.params.owner ?? "", request.params.repo ?? "");
    const files = repository?.filesAt(request.params.tree_sha ?? "");
    if (!repository || !files) return errorResponse(404, "Not Found");
    const entries = new Map<string, Json>();
    for (const [path, content] of files) {
      const [first = "", ...rest] = path.split("/");
      const sha = blobSha(rest.length > 0 ? `tree:${first}` : content);
      entries.set(first, {
        path: first,
        mode: rest.length > 0 ? "040000" : "100644",
        type: rest.length > 0 ? "tree" : "blob",
        sha,
        ...(rest.length > 0 ? {} : { size: Buffer.byteLength(content) }),
        url: `https://api.github.com/repos/${repository.fullName}/git/${rest.length > 0 ? "trees" : "blobs"}/${sha}`,
      });
    }
    const sha = blobSha([...entries.keys()].join("\n"));
    return {
      status: 200,
      body: {
        sha,
        url: `https://api.github.com/repos/${repository.fullName}/git/trees/${sha}`,
        tree: [...entries.values()],
        truncated: false,
      },
    };
  };
  return { "git/get-tree": rootTree, ...handlers, ...setup };
}
