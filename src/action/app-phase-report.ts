// In App mode, tells the RFSN App which phase the repair is in (from the session's progress lines), so its check run shows it.
import { getIDToken } from "@actions/core";
import { oidcTokenSource, reportPhaseToApp } from "../runtime/llm/app-relay-client.js";

const PHASE_LINE = /^(reproduce|localize|patch|verify)\b/;

/**
 * A progress listener posting each new phase once to `<app-url>/rfsn/v1/phase`, authenticated by the job's OIDC token.
 * Best effort and in order: a report never delays the session, and a failure is logged once as a warning.
 */
export function appPhaseReporter(
  appUrl: string,
  warn: (message: string) => void,
  getIdToken: (audience: string) => Promise<string> = (audience) => getIDToken(audience),
): (progressLine: string) => void {
  const token = oidcTokenSource(getIdToken);
  let last: string | null = null;
  let chain: Promise<void> = Promise.resolve();
  let warned = false;
  return (line) => {
    const phase = PHASE_LINE.exec(line)?.[1];
    if (!phase || phase === last) return;
    last = phase;
    chain = chain
      .then(() => reportPhaseToApp(appUrl, token, phase))
      .catch((error: unknown) => {
        if (warned) return;
        warned = true;
        warn(`could not report the repair phase to the RFSN App: ${(error as Error).message}`);
      });
  };
}
