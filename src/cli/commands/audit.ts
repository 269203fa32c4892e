// `rfsn audit verify <file> [--json]`: checks an audit log's hash chain (exit 0 intact, 1 tampered, 2 unreadable or bad usage).
import { parseArgs } from "node:util";
import { verifyAuditFile } from "../../observability/audit-chain.js";

export const AUDIT_USAGE = "usage: rfsn audit verify <file> [--json]";

export interface AuditCommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export async function runAuditCommand(args: string[], io: AuditCommandIo): Promise<number> {
  let parsed: ReturnType<typeof parseAuditArgs>;
  try {
    parsed = parseAuditArgs(args);
  } catch (error) {
    io.stderr(`rfsn audit: ${(error as Error).message}\n${AUDIT_USAGE}`);
    return 2;
  }
  if (parsed.help) {
    io.stdout(AUDIT_USAGE);
    return 0;
  }
  const { file, json } = parsed;
  let result: ReturnType<typeof verifyAuditFile>;
  try {
    result = verifyAuditFile(file);
  } catch (error) {
    const message = `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
    if (json) io.stdout(JSON.stringify({ ok: false, file, error: message }));
    io.stderr(`rfsn audit: ${message}`);
    return 2;
  }
  if (json) {
    io.stdout(JSON.stringify({ file, ...result }));
  } else if (result.ok) {
    io.stdout(`${file}: chain intact, ${result.entries} entries, head ${result.head}`);
  } else {
    io.stdout(`${file}: TAMPERED at line ${result.line}: ${result.problem}`);
  }
  return result.ok ? 0 : 1;
}

function parseAuditArgs(args: string[]): { help: true } | { help: false; file: string; json: boolean } {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) return { help: true };
  const [subcommand, file, ...extra] = positionals;
  if (subcommand !== "verify") {
    throw new Error(subcommand ? `unknown subcommand "${subcommand}"` : "missing subcommand");
  }
  if (!file) throw new Error("missing the audit file to verify");
  if (extra.length > 0) throw new Error(`unexpected arguments: ${extra.join(" ")}`);
  return { help: false, file, json: values.json === true };
}
