// Starts the App's server for a test: a throwaway RSA key, silent logs, 127.0.0.1 on a free port.
import { generateKeyPairSync } from "node:crypto";
import { type AppServer, type AppServerOptions, startAppServer } from "../../src/app/app-server.js";
import { createLogger } from "../../src/observability/logger.js";

let privateKey: string | undefined;

/** One 2048-bit key per test file, made on first use (a key takes tens of milliseconds). */
function testPrivateKey(): string {
  privateKey ??= generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;
  return privateKey;
}

export type TestAppServerOptions = Pick<AppServerOptions, "webhookSecret" | "githubBaseUrl" | "database"> &
  Partial<AppServerOptions>;

export function startTestAppServer(options: TestAppServerOptions): Promise<AppServer> {
  return startAppServer({
    appId: 1,
    privateKey: testPrivateKey(),
    port: 0,
    host: "127.0.0.1",
    logger: createLogger({ level: "silent" }),
    version: "0.0.0-test",
    ...options,
  });
}
