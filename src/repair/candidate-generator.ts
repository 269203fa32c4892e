// Runs candidate generation in a worker thread, so that the session's event loop keeps test processes moving meanwhile.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { QueuedCandidate } from "../core/repair-planner.js";
import type { GrammarName } from "../runtime/tree-sitter.js";
import {
  candidatesForLocation,
  type GenerationInput,
  prepareCandidateGeneration,
} from "./candidate-generation.js";

/** What the worker is asked: the generation input without the id counter (ids are given on the session's side). */
export type GenerationRequest = Omit<GenerationInput, "nextId">;

type GeneratorTask =
  | { kind: "generate"; request: GenerationRequest }
  | { kind: "prepare"; grammar: GrammarName };

export type GeneratorMessage = GeneratorTask & { id: number };

export type GeneratorReply = { id: number; candidates: QueuedCandidate[] } | { id: number; error: string };

/** `workerData.role` of a generation worker (the Action's single-file bundle starts itself in this role). */
export const GENERATION_WORKER_ROLE = "rfsn-candidate-generation";

let workerScript: URL = new URL("./generation-worker.js", import.meta.url);

/** Names the script a generation worker runs (the Action's bundle names itself). */
export function setGenerationWorkerScript(script: URL): void {
  workerScript = script;
}

export interface CandidateGenerator {
  /** Candidates for one location, best first, their proposal ids taken from `nextId` in order. */
  generate(input: GenerationInput): Promise<QueuedCandidate[]>;
  /** Loads a grammar ahead of the first location that needs it. */
  prepare(grammar: GrammarName): Promise<void>;
  close(): Promise<void>;
}

/** Generation on the calling thread: where no worker script exists (tests running the TypeScript sources). */
function inThreadGenerator(): CandidateGenerator {
  return {
    generate: candidatesForLocation,
    prepare: prepareCandidateGeneration,
    close: async () => {},
  };
}

/** The candidates with proposal ids taken from `nextId`, in order. */
export function renumbered(candidates: QueuedCandidate[], nextId: () => string): QueuedCandidate[] {
  return candidates.map((candidate) => ({ ...candidate, proposal: { ...candidate.proposal, id: nextId() } }));
}

/**
 * Starts a generator in a worker thread, or on this thread when the worker script is missing. A worker that fails
 * hands its work to this thread from then on; nothing is lost but the time.
 */
export function startCandidateGenerator(): CandidateGenerator {
  if (workerScript.protocol !== "file:" || !existsSync(fileURLToPath(workerScript)))
    return inThreadGenerator();
  const fallback = inThreadGenerator();
  // The worker keeps the process alive until `close` (the session always closes it).
  const worker = new Worker(workerScript, { workerData: { role: GENERATION_WORKER_ROLE } });
  let failed = false;
  let closed = false;
  let nextMessageId = 0;
  const pending = new Map<
    number,
    { resolve: (candidates: QueuedCandidate[]) => void; reject: (error: Error) => void }
  >();
  const failAll = (error: Error) => {
    failed = true;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  worker.on("message", (reply: GeneratorReply) => {
    const waiting = pending.get(reply.id);
    if (!waiting) return;
    pending.delete(reply.id);
    if ("error" in reply) waiting.reject(new Error(reply.error));
    else waiting.resolve(reply.candidates);
  });
  worker.on("error", failAll);
  worker.on("exit", () => failAll(new Error("the candidate generation worker stopped")));

  const ask = (task: GeneratorTask) =>
    new Promise<QueuedCandidate[]>((resolve, reject) => {
      const id = ++nextMessageId;
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...task, id });
    });

  return {
    async generate(input) {
      if (closed) return [];
      if (failed) return fallback.generate(input);
      const { nextId, ...request } = input;
      try {
        return renumbered(await ask({ kind: "generate", request }), nextId);
      } catch (error) {
        if (closed) return [];
        if (!failed) throw error;
        return fallback.generate(input);
      }
    },
    async prepare(grammar) {
      if (!failed && !closed) await ask({ kind: "prepare", grammar }).catch(() => {});
    },
    async close() {
      closed = true;
      await worker.terminate();
    },
  };
}

/** The worker's side: answers generation requests from the parent thread until it is terminated. */
export function serveCandidateGeneration(port: {
  on(event: "message", listener: (message: GeneratorMessage) => void): void;
  postMessage(reply: GeneratorReply): void;
}): void {
  port.on("message", async (message) => {
    try {
      if (message.kind === "prepare") {
        await prepareCandidateGeneration(message.grammar);
        port.postMessage({ id: message.id, candidates: [] });
        return;
      }
      let counter = 0;
      const candidates = await candidatesForLocation({ ...message.request, nextId: () => `w${++counter}` });
      port.postMessage({ id: message.id, candidates });
    } catch (error) {
      port.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
    }
  });
}
