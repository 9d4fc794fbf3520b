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

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

/** Hex to bytes; whitespace between digits is allowed. null when not hex. */
export function fromHex(text: string): Uint8Array | null {
  const digits = text.replace(/\s+/g, "");
  if (digits.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(digits)) return null;
  return Uint8Array.from(Buffer.from(digits, "hex"));
}
