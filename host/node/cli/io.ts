// Small I/O helpers shared by the CLI commands.
import { readFileSync } from "node:fs";

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
