// Runs against a warm test process: one at a time, and a process still starting gets its extra start-up time.
import type { ServiceAnswer, ServiceProcess } from "../process-service.js";
import type { WarmRunOptions } from "./types.js";

export function requestWithStartup(
  service: ServiceProcess,
  request: string,
  options: Pick<WarmRunOptions, "timeoutMs" | "startupTimeoutMs" | "signal">,
): Promise<ServiceAnswer> {
  const startup = service.starting ? (options.startupTimeoutMs ?? 0) : 0;
  return service.request(request, {
    timeoutMs: options.timeoutMs + startup,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** Wraps `run` so that each call starts only once the previous one settled (the process answers in order). */
export function oneRunAtATime<T>(
  run: (options: WarmRunOptions) => Promise<T>,
): (options: WarmRunOptions) => Promise<T> {
  let previous: Promise<unknown> = Promise.resolve();
  return (options) => {
    const next = previous.then(() => run(options));
    previous = next.catch(() => undefined);
    return next;
  };
}
