// The one pair of hex helpers of the Node hosts and tools.

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/** Hex to bytes; whitespace between digits is allowed. null when it is not hex. */
export function fromHex(text: string): Uint8Array | null {
  const digits = text.replace(/\s+/g, "");
  if (digits.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(digits)) return null;
  return Uint8Array.from(Buffer.from(digits, "hex"));
}

/**
 * Hex to bytes with Node's Buffer.from(s, "hex") rules, which docs/replay.md fixes for
 * every host (the C reader, host/c/tools/xh_hex.c, follows them): pairs of digits,
 * decoding stops at the first pair that is not one, an odd last digit is dropped.
 */
export function fromHexLenient(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text, "hex"));
}
