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
