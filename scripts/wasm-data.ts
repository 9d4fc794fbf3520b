// Merges the active data segments of a .wasm that lie close together: wasm3 keeps
// a 20-byte record per segment for the module's life (on RV32), and AssemblyScript
// emits one segment per static string (41 in the xPL core: 800 B of heap on every
// board, for 625 bytes of data).
// The initial memory is the same byte for byte: the gaps between segments are
// zero, as linear memory starts. Refuses (throws) a module whose segments it
// cannot merge safely: a passive segment (memory.init / data.drop refer to
// segments by index), an offset that is not an i32.const, or overlapping segments.
import { readFileSync, writeFileSync } from "node:fs";

function readU32(b: Uint8Array, at: number): [number, number] {
  let value = 0, shift = 0, byte: number;
  do {
    byte = b[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
}

function readI32(b: Uint8Array, at: number): [number, number] {
  let value = 0, shift = 0, byte: number;
  do {
    byte = b[at++];
    value |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  if (shift < 32 && byte & 0x40) value |= -1 << shift;
  return [value, at];
}

function u32(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}

function i32(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(byte & 0x40)) || (n === -1 && byte & 0x40)) { out.push(byte); return out; }
    out.push(byte | 0x80);
  }
}

const SECTION_DATA = 11;
const SECTION_DATA_COUNT = 12;

/** Segments at most this many bytes apart are merged: a gap costs its bytes of
 * zeros in flash, a segment 20 B of RAM (and ~5 B of flash). */
export const GAP_MAX = 32;

/** The module with its data segments merged where they are close: how many there
 * were, how many there are. */
export function mergeDataSegments(wasm: Uint8Array): { wasm: Uint8Array<ArrayBuffer>; segments: number; merged: number } {
  const out: number[] = [...wasm.subarray(0, 8)];
  let segments = 0, merged = 0, dataCountAt = -1;
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at];
    const [size, bodyAt] = readU32(wasm, at + 1);
    let body: Uint8Array | number[] = wasm.subarray(bodyAt, bodyAt + size);
    at = bodyAt + size;
    if (id === SECTION_DATA) {
      const b = body;
      let [count, p] = readU32(b, 0);
      segments = count;
      const parts: { offset: number; bytes: Uint8Array }[] = [];
      for (let s = 0; s < count; s++) {
        let flags: number;
        [flags, p] = readU32(b, p);
        if (flags !== 0) throw new Error(`data segment ${s}: not an active segment of memory 0`);
        if (b[p] !== 0x41) throw new Error(`data segment ${s}: its offset is not an i32.const`);
        let offset: number;
        [offset, p] = readI32(b, p + 1);
        if (b[p] !== 0x0b) throw new Error(`data segment ${s}: its offset is not an i32.const`);
        let len: number;
        [len, p] = readU32(b, p + 1);
        parts.push({ offset, bytes: b.subarray(p, p + len) });
        p += len;
      }
      parts.sort((x, y) => x.offset - y.offset);
      for (let s = 1; s < parts.length; s++) {
        if (parts[s].offset < parts[s - 1].offset + parts[s - 1].bytes.length) throw new Error("data segments overlap");
      }
      // Runs of segments at most GAP_MAX bytes apart become one (the gap: zeros).
      const runs: { offset: number; end: number; parts: typeof parts }[] = [];
      for (const part of parts) {
        const run = runs[runs.length - 1];
        if (run && part.offset - run.end <= GAP_MAX) {
          run.parts.push(part);
          run.end = part.offset + part.bytes.length;
        } else {
          runs.push({ offset: part.offset, end: part.offset + part.bytes.length, parts: [part] });
        }
      }
      merged = runs.length;
      const encoded: number[] = [...u32(runs.length)];
      for (const run of runs) {
        const image = new Uint8Array(run.end - run.offset);
        for (const part of run.parts) image.set(part.bytes, part.offset - run.offset);
        encoded.push(0x00, 0x41, ...i32(run.offset), 0x0b, ...u32(image.length), ...image);
      }
      body = encoded;
    } else if (id === SECTION_DATA_COUNT) {
      dataCountAt = out.length;   /* rewritten below, once the data section is read */
    }
    out.push(id, ...u32(body.length), ...body);
  }
  if (dataCountAt >= 0) {
    // The data count section (before the code section) says how many segments there are.
    const [size, bodyAt] = readU32(Uint8Array.from(out), dataCountAt + 1);
    out.splice(dataCountAt, bodyAt + size - dataCountAt, SECTION_DATA_COUNT, ...u32(u32(merged).length), ...u32(merged));
  }
  return { wasm: new Uint8Array(out), segments, merged };
}

/** Rewrites a .wasm file in place with its close data segments merged. */
export function mergeDataSegmentsOfFile(path: string): void {
  const { wasm } = mergeDataSegments(readFileSync(path));
  writeFileSync(path, wasm);
}
