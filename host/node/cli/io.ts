// Small I/O helpers shared by the CLI commands.
import { readFileSync, writeSync } from "node:fs";

/** A usage error: the message names the bad argument; the CLI exits 2. */
export class UsageError extends Error {}

/** Reads FILE, or standard input for "-" or no file. */
export function readInput(file: string | undefined): Buffer {
  try {
    return readFileSync(file === undefined || file === "-" ? 0 : file);
  } catch (error) {
    throw new UsageError(`cannot read ${file ?? "standard input"}: ${(error as Error).message}`);
  }
}

export { toHex, fromHex } from "../hex.ts";

/** Standard output was closed by its reader (`... | head -1`): stop at once, quietly. */
export class OutputClosed extends Error {}

/**
 * Writes to standard output synchronously, so that a reader that went away is
 * noticed at this write (EPIPE: OutputClosed), not after the work is done.
 */
export function writeOut(text: string | Uint8Array): void {
  const bytes = typeof text === "string" ? Buffer.from(text) : text;
  let done = 0;
  let stalls = 0;
  while (done < bytes.length) {
    try {
      done += writeSync(1, bytes, done, bytes.length - done);
      stalls = 0;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EPIPE") throw new OutputClosed("standard output closed");
      if (code !== "EAGAIN" || ++stalls > 10_000) throw error; // a non-blocking pipe that is full: wait 1 ms
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

/**
 * A socket error as a named, one-line UsageError: what failed, on which address,
 * and the option that chose it.
 */
export function socketError(error: unknown, what: string, option: string): Error {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case "EADDRINUSE": return new UsageError(`${what}: already in use by another program (${option}; a running hub or device?)`);
    case "EADDRNOTAVAIL": return new UsageError(`${what}: not an address of this host (${option})`);
    case "EACCES": return new UsageError(`${what}: permission denied (${option}; ports below 1024 need privileges)`);
    default: return error instanceof Error ? error : new Error(String(error));
  }
}

/** A JSON.parse message without the input it quotes (which may be binary): printable text only. */
export function jsonProblem(error: unknown): string {
  const message = (error as Error).message.replace(/,? ".*" is not valid JSON$/s, "").replace(/ in JSON at position \d+.*$/s, "");
  return message.replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
