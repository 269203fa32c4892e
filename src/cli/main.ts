// The `rfsn` command: dispatches to repair, bench, gate, audit and serve.
import { createRequire } from "node:module";
import { type CliIo, terminalIo } from "./output.js";

const HELP = `rfsn — repairs red CI

usage:
  rfsn repair [dir|git-url] [--test "<command>"] [--json] [--apply] [--jobs N] [--max-iterations N] [--time-budget SECONDS]
  rfsn bench <corpus-dir> [--json] [--time-budget SECONDS] [--memory DB] [--passes 2]
  rfsn gate <patch-file> [--json]
  rfsn audit verify <file>
  rfsn init [dir] [--yes] [--dry-run]   detect the stack, show then write the repair workflow and .github/rfsn.yml
  rfsn serve                 start the GitHub App (without credentials: the App setup flow)
  rfsn doctor [--json]       check a deployment: credentials, GitHub, permissions, clock, webhook, database
  rfsn --version

Every command answers --help (or: rfsn help <command>). Install guide: docs/install.md`;

const COMMANDS = ["repair", "bench", "gate", "audit", "init", "serve", "doctor"] as const;

function version(): string {
  const require = createRequire(import.meta.url);
  for (const path of ["../../../package.json", "../../package.json"]) {
    try {
      return (require(path) as { version: string }).version;
    } catch {
      // try the next layout (compiled tree or bundle)
    }
  }
  return "unknown";
}

export async function main(argv: string[], io: CliIo = terminalIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    io.stderr(`rfsn: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}

/** Each command's module loads only when it runs (`serve` alone brings in the whole GitHub App). */
async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "repair":
      return (await import("./commands/repair.js")).runRepairCommand(rest, io);
    case "bench":
      return (await import("./commands/bench.js")).runBenchCommand(rest, io);
    case "gate":
      return (await import("./commands/gate.js")).runGateCommand(rest, io);
    case "audit":
      return (await import("./commands/audit.js")).runAuditCommand(rest, io);
    case "serve":
      return (await import("./commands/serve.js")).runServeCommand(rest, io);
    case "init":
      return (await import("./commands/init.js")).runInitCommand(rest, io);
    case "doctor":
      return (await import("./commands/doctor.js")).runDoctorCommand(rest, io);
    case "--version":
    case "-v":
      io.stdout(version());
      return 0;
    case "help": {
      const topic = rest[0];
      if (topic && (COMMANDS as readonly string[]).includes(topic)) return dispatch([topic, "--help"], io);
      if (topic) {
        io.stderr(`rfsn help: no command named ${topic}; commands: ${COMMANDS.join(", ")}`);
        return 2;
      }
      io.stdout(HELP);
      return 0;
    }
    case undefined:
    case "--help":
    case "-h":
      io.stdout(HELP);
      return 0;
    default:
      io.stderr(`rfsn: unknown command "${command}" (commands: ${COMMANDS.join(", ")})\n\n${HELP}`);
      return 2;
  }
}
