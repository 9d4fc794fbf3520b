// The `xpl-hbeat` command. The release .wasm is embedded in the bundle.
import wasm from "../../../build/xpl-hbeat.wasm";
import izzyWasm from "../../../build/izzy.wasm";
import { izzyCommand } from "../izzy/cli.ts";
import { Core } from "../xpl/core.ts";
import { UsageError } from "./io.ts";
import { decodeCommand, encodeCommand } from "./codec-commands.ts";
import { runCommand, startCommand, hubCommand, simCommand, replayCommand } from "./device-commands.ts";

const HELP = `usage: xpl-hbeat <command> [options]
commands:
  start                     the demo: a hub on loopback and one device (npm start)
  run [options]             a device on a real network
  hub [options]             an xPL hub for the applications of this host
  sim [options]             devices and a hub on virtual time, a trace of every datagram
  replay [SCENARIO|-]       a scenario on virtual time (docs/replay.md)
  decode [--hex] [FILE|-]   parse datagrams, print JSON
  encode [--hex] [FILE|-]   JSON in, exact datagrams out
  izzy mother|client|decode the izzy binary heartbeat ('xpl-hbeat izzy help')
Run 'xpl-hbeat <command> --help' for a command's options.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const core = () => new Core(wasm);
  switch (command) {
    case "decode":
      return decodeCommand(core(), args, (line) => process.stdout.write(line + "\n"));
    case "encode":
      return encodeCommand(core(), args, (bytes) => process.stdout.write(bytes));
    case "start":
      return startCommand(wasm, args);
    case "run":
      return runCommand(wasm, args);
    case "hub":
      return hubCommand(wasm, args);
    case "sim":
      return simCommand(wasm, args);
    case "replay":
      return replayCommand(wasm, args);
    case "izzy":
      return izzyCommand(izzyWasm, args);
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(HELP + "\n");
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

main(process.argv.slice(2)).then(
  (status) => { process.exitCode = status; },
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`xpl-hbeat: ${(error as Error).message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`xpl-hbeat: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
