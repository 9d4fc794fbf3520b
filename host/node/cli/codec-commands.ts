// `xpl-hbeat decode` and `xpl-hbeat encode`: the codec from the command line.
// What decode prints, encode takes back (the "ok" key is ignored; message types
// in any case; a value that is not UTF-8 travels as {"hex":"..."}).
import { XplCore } from "../xpl/core.ts";
import { Query } from "../xpl/numbers.ts";
import { decode, encode, checkShape, EncodeError, type Decoded } from "../xpl/codec.ts";
import { UsageError, readInput, toHex, fromHex, jsonProblem } from "./io.ts";
import { type CommandSpec, parseOptions, helpText } from "./options.ts";

export const DECODE: CommandSpec = {
  path: "decode",
  positional: { usage: "[FILE|-]", max: 1 },
  about: "FILE (or standard input) is one raw datagram; with --hex, each input line is one\n" +
    "datagram in hex (an empty line is an empty datagram), and output line N is input line N.\n" +
    "Prints one JSON object per datagram: {\"ok\":true,\"msgtype\":...,\"body\":[[k,v],...]} or\n" +
    "{\"ok\":false,\"reason\":\"HOP_RANGE\"}; a value that is not UTF-8 is printed as {\"hex\":\"...\"}.",
  options: { hex: { type: "boolean", help: "one hex datagram per input line" } },
};

export const ENCODE: CommandSpec = {
  path: "encode",
  positional: { usage: "[FILE|-]", max: 1 },
  about: "Reads JSON messages ({\"msgtype\",\"hop\",\"source\",\"target\",\"schema\",\"body\":[[k,v],...]},\n" +
    "what decode prints), one per line or a single document. Writes the exact datagram;\n" +
    "with --hex, one hex line per message. Raw output has no boundaries between datagrams,\n" +
    "so without --hex exactly one message is accepted.",
  options: { hex: { type: "boolean", help: "one hex line per message (required for several)" } },
};

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** decode, with every value that is not valid UTF-8 given as its raw bytes in hex. */
function decodeExact(core: XplCore, datagram: Uint8Array): Decoded | Record<string, unknown> {
  const m = decode(core, datagram);
  if (!m.ok) return m;
  const body = m.body.map(([key, value], i): [string, string | { hex: string }] => {
    const raw = core.rxSlice(core.query(Query.MSG_VALUE_OFFSET, i), core.query(Query.MSG_VALUE_LENGTH, i));
    try {
      utf8.decode(raw);
      return [key, value];
    } catch {
      return [key, { hex: toHex(raw) }];
    }
  });
  return { ...m, body };
}

/** Returns the exit status: 0, or 2 when an input line was not hex. */
export function decodeCommand(core: XplCore, args: string[], out: (line: string) => void): number {
  const { values, positionals, help } = parseOptions(DECODE, args);
  if (help) { out(helpText(DECODE)); return 0; }
  const input = readInput(positionals[0]);
  if (!values.hex) {
    out(JSON.stringify(decodeExact(core, input)));
    return 0;
  }
  let status = 0;
  const lines = input.toString("latin1").split("\n");
  if (lines[lines.length - 1] === "") lines.pop(); // the newline that ends the last line
  lines.forEach((line, i) => {
    const bytes = fromHex(line.replace(/\r$/, ""));
    if (bytes === null) {
      process.stderr.write(`xpl-hbeat decode: line ${i + 1}: not hexadecimal\n`);
      status = 2;
      return;
    }
    out(JSON.stringify(decodeExact(core, bytes))); // an empty line: the empty datagram, refused with its reason
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
  const docs: unknown[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    try {
      docs.push(JSON.parse(line));
    } catch (error) {
      throw new UsageError(`line ${i + 1}: bad JSON: ${jsonProblem(error)}`);
    }
  });
  return docs;
}

export function encodeCommand(core: XplCore, args: string[], write: (bytes: Uint8Array | string) => void): number {
  const { values, positionals, help } = parseOptions(ENCODE, args);
  if (help) { write(helpText(ENCODE) + "\n"); return 0; }
  const docs = jsonDocuments(readInput(positionals[0]).toString("utf8"));
  if (!values.hex && docs.length > 1) {
    throw new UsageError(`${docs.length} messages: raw datagrams have no boundaries; use --hex (one line each) or one message per run`);
  }
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
  for (const d of datagrams) write(values.hex ? toHex(d) + "\n" : d);
  return 0;
}
