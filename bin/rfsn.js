#!/usr/bin/env node
// Entry point of the `rfsn` command: hands the arguments to the compiled CLI.
import { main } from "../dist/src/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
