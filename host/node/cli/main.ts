// The `xpl-hbeat` command. The release .wasm is embedded in the bundle.
import wasm from "../../../build/xpl-hbeat.wasm";
import izzyWasm from "../../../build/izzy.wasm";
import { izzyCommand, IZZY_COMMANDS } from "../izzy/cli.ts";
import { XplCore } from "../xpl/core.ts";
import { UsageError, OutputClosed } from "./io.ts";
import { decodeCommand, encodeCommand } from "./codec-commands.ts";
import { runCommand, startCommand, hubCommand, simCommand, replayCommand } from "./device-commands.ts";

declare const XPL_HBEAT_VERSION: string | undefined; // set by the bundler (scripts/build.ts), else package.json is read

const HELP = `usage: xpl-hbeat <command> [options]
commands:
  start                     the demo: a hub on loopback and one device (npm start)
  run [options]             a device on a real network
  hub [options]             an xPL hub for the applications of this host
  sim [options]             devices and a hub on virtual time, a trace of every datagram
  replay [SCENARIO|-]       a scenario on virtual time (docs/replay.md)
  decode [--hex] [FILE|-]   parse datagrams, print JSON
  encode [--hex] [FILE|-]   JSON in, exact datagrams out
  izzy mother|client|decode the izzy binary heartbeat ('xpl-hbeat izzy --help')
options: --help, --version
Run 'xpl-hbeat <command> --help' for a command's own options.
A bad option or value: one line 'xpl-hbeat <command>: ...' naming it, exit status 2.`;

function version(): string {
  if (typeof XPL_HBEAT_VERSION === "string") return XPL_HBEAT_VERSION;
  return "unknown";
}

const COMMANDS = ["start", "run", "hub", "sim", "replay", "decode", "encode", "izzy"];

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const core = () => new XplCore(wasm);
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
    case "--version":
    case "-V":
      process.stdout.write(`xpl-hbeat ${version()}\n`);
      return 0;
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(HELP + "\n");
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command '${command}' (commands: ${COMMANDS.join(", ")})`);
  }
}

/** `xpl-hbeat <command>`: the prefix of every message, for the command that failed. */
function prefix(argv: string[]): string {
  const [command, sub] = argv;
  if (command === undefined || !COMMANDS.includes(command)) return "xpl-hbeat";
  if (command === "izzy" && sub !== undefined && IZZY_COMMANDS.includes(sub)) return `xpl-hbeat izzy ${sub}`;
  return `xpl-hbeat ${command}`;
}

// A reader that went away (`... | head -1`): stop at once and quietly, whatever the command.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

const argv = process.argv.slice(2);
main(argv).then(
  (status) => { process.exitCode = status; },
  (error: unknown) => {
    if (error instanceof OutputClosed) process.exit(0); // the reader has all it wanted (`| head`)
    if (error instanceof UsageError) {
      process.stderr.write(`${prefix(argv)}: ${error.message}\n`);
      process.exit(2); // at once: nothing started may hold the process open
    }
    const detail = process.env.XPL_HBEAT_DEBUG ? `\n${(error as Error).stack}` : " (XPL_HBEAT_DEBUG=1 for the stack)";
    process.stderr.write(`${prefix(argv)}: internal error: ${(error as Error).message ?? String(error)}${detail}\n`);
    process.exit(1);
  },
);
