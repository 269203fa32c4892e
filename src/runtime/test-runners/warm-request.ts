// Sends one run to a warm test process, allowing a process that is still starting its extra start-up time.
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
