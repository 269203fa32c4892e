// Runs against a warm test process: one at a time, extra start-up time for a process still starting, a dead one replaced.
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

/** The process of a warm session: started on first use and again after it died or was dropped. */
export class ReplaceableService {
  private current: ServiceProcess | undefined;

  constructor(private readonly start: () => ServiceProcess) {}

  /** The live process, started now when there is none. */
  live(): ServiceProcess {
    if (!this.current?.alive) {
      this.current?.close();
      this.current = this.start();
    }
    return this.current;
  }

  /** Kills the process; the next `live()` starts a new one. */
  drop(): void {
    this.current?.close();
    this.current = undefined;
  }
}
