// Worker-thread entry of candidate generation (see candidate-generator.ts).
import { parentPort } from "node:worker_threads";
import { serveCandidateGeneration } from "./candidate-generator.js";

if (parentPort) serveCandidateGeneration(parentPort);
