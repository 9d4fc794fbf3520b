// `xpl-hbeat decode` and `xpl-hbeat encode`: the codec from the command line.
import { parseArgs } from "node:util";
import { Core } from "../xpl/core.ts";
import { decode, encode, checkShape, EncodeError } from "../xpl/codec.ts";
import { UsageError, readInput, toHex, fromHex } from "./io.ts";

export const DECODE_HELP = `usage: xpl-hbeat decode [--hex] [FILE|-]
  FILE is one raw datagram; with --hex, each input line is one datagram in hex.
  Prints one JSON object per datagram.`;

export const ENCODE_HELP = `usage: xpl-hbeat encode [--hex] [FILE|-]
  Reads JSON messages ({"msgtype","hop","source","target","schema","body":[[k,v],...]}),
  one per line or a single document, and writes each datagram (raw, or one hex line each).`;

function options(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    options: { hex: { type: "boolean", default: false }, help: { type: "boolean", default: false } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
  return { hex: values.hex === true, help: values.help === true, file: positionals[0] };
}

/** Returns the exit status: 0, or 2 when an input line was not hex. */
export function decodeCommand(core: Core, args: string[], out: (line: string) => void): number {
  const opt = options(args);
  if (opt.help) { out(DECODE_HELP); return 0; }
  const input = readInput(opt.file);
  if (!opt.hex) {
    out(JSON.stringify(decode(core, input)));
    return 0;
  }
  let status = 0;
  input.toString("latin1").split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return;
    const bytes = fromHex(line);
    if (bytes === null) {
      process.stderr.write(`xpl-hbeat decode: line ${i + 1}: not hexadecimal\n`);
      status = 2;
      return;
    }
    out(JSON.stringify(decode(core, bytes)));
  });
  return status;
}

function jsonDocuments(text: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed === "") throw new UsageError("no JSON message on input");
  try {
    return [JSON.parse(trimmed)];
  } catch {
    // Not one document: one per line.
  }
  return trimmed.split(/\r?\n/).filter((l) => l.trim() !== "").map((line, i) => {
    try {
      return JSON.parse(line);
    } catch (error) {
      throw new UsageError(`line ${i + 1}: bad JSON: ${(error as Error).message}`);
    }
  });
}

export function encodeCommand(core: Core, args: string[], write: (bytes: Uint8Array | string) => void): number {
  const opt = options(args);
  if (opt.help) { write(ENCODE_HELP + "\n"); return 0; }
  const docs = jsonDocuments(readInput(opt.file).toString("utf8"));
  const datagrams: Uint8Array[] = [];
  docs.forEach((doc, i) => {
    try {
      datagrams.push(encode(core, checkShape(doc)));
    } catch (error) {
      if (error instanceof EncodeError) {
        throw new UsageError(docs.length > 1 ? `message ${i + 1}: ${error.message}` : error.message);
      }
      throw error;
    }
  });
  // All or nothing: output only once every message encoded.
  for (const d of datagrams) write(opt.hex ? toHex(d) + "\n" : d);
  return 0;
}
