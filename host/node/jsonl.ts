// A reader of flat JSON objects, one a line: the scenario format of docs/replay.md.
// The same reader as host/c/tools/xh_jsonl.c, step for step (the same checks in the same
// order, the same messages), so that Node and the C hosts refuse the same
// scenarios on the same line. It reads bytes: strings are UTF-8 bytes as in C.
//
// Values: strings, integers (at most 18 digits: no fraction, exponent or
// overflow), true, false, null; no nested objects or arrays. Blank lines (only
// spaces, tabs, CRs) are skipped but counted.

export const JSONL_KEY_MAX = 31;

export type JsonValue =
  | { kind: "number"; number: bigint }
  | { kind: "string"; bytes: Uint8Array }
  | { kind: "true" } | { kind: "false" } | { kind: "null" };

/** Errors of the format itself (the C reader's messages). */
export const JSONL_ERRORS = {
  syntax: "jsonl: syntax error",
  notFlat: "jsonl: nested objects and arrays are not supported",
  number: "jsonl: numbers must be integers (no fraction, exponent or overflow)",
  string: "jsonl: bad string (escape or control character)",
  eof: "jsonl: unexpected end of input",
  trailing: "jsonl: text after the object on its line",
} as const;

/** Thrown for a format or scenario error; `line` is the scenario line (1-based; 0: none). */
export class ScenarioError extends Error {
  constructor(readonly reason: string, readonly line: number) {
    super(line > 0 ? `line ${line}: ${reason}` : reason);
  }
}

const EOF = -1;

export class JsonlReader {
  private pos = 0;
  /** The 1-based line of the object being read. */
  line = 0;

  constructor(private readonly input: Uint8Array) {}

  private peek(): number { return this.pos < this.input.length ? this.input[this.pos] : EOF; }
  private take(): number { const c = this.peek(); if (c !== EOF) this.pos++; return c; }

  private skipBlank(): number {
    let c: number;
    while ((c = this.peek()) === 0x20 || c === 0x09 || c === 0x0d) this.take();
    return c;
  }

  private fail(reason: string): never { throw new ScenarioError(reason, this.line); }

  private hex4(): number {
    let v = 0;
    for (let i = 0; i < 4; i++) {
      const c = this.take();
      let d: number;
      if (c >= 0x30 && c <= 0x39) d = c - 0x30;
      else if (c >= 0x61 && c <= 0x66) d = c - 0x61 + 10;
      else if (c >= 0x41 && c <= 0x46) d = c - 0x41 + 10;
      else this.fail(JSONL_ERRORS.string);
      v = (v << 4) | d;
    }
    return v;
  }

  private static utf8(out: number[], cp: number): void {
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }

  /** After the opening quote: UTF-8 passes through; escapes become UTF-8 (a lone surrogate: U+FFFD). */
  private string(): Uint8Array {
    const out: number[] = [];
    for (;;) {
      let c = this.take();
      if (c === EOF) this.fail(JSONL_ERRORS.eof);
      if (c === 0x22) return Uint8Array.from(out);
      if (c < 0x20) this.fail(JSONL_ERRORS.string);
      if (c !== 0x5c) { out.push(c); continue; }
      c = this.take();
      let cp: number;
      switch (c) {
        case 0x22: case 0x5c: case 0x2f: cp = c; break;
        case 0x62: cp = 0x08; break;
        case 0x66: cp = 0x0c; break;
        case 0x6e: cp = 0x0a; break;
        case 0x72: cp = 0x0d; break;
        case 0x74: cp = 0x09; break;
        case 0x75: {
          cp = this.hex4();
          if (cp >= 0xd800 && cp < 0xdc00 && this.peek() === 0x5c) {
            this.take();
            if (this.take() !== 0x75) this.fail(JSONL_ERRORS.string);
            const low = this.hex4();
            if (low >= 0xdc00 && low < 0xe000) {
              cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
            } else {
              JsonlReader.utf8(out, 0xfffd);
              cp = low >= 0xd800 && low < 0xe000 ? 0xfffd : low;
            }
          } else if (cp >= 0xd800 && cp < 0xe000) {
            cp = 0xfffd;
          }
          break;
        }
        default: this.fail(JSONL_ERRORS.string);
      }
      JsonlReader.utf8(out, cp);
    }
  }

  private key(): string {
    const bytes: number[] = [];
    let overflow = false;
    for (;;) {
      const c = this.take();
      if (c === EOF) this.fail(JSONL_ERRORS.eof);
      if (c === 0x22) break;
      if (c < 0x20 || c === 0x5c) this.fail(JSONL_ERRORS.string);
      if (bytes.length < JSONL_KEY_MAX) bytes.push(c);
      else overflow = true;
    }
    return overflow ? "" : Buffer.from(bytes).toString("latin1"); // an over-long key matches nothing
  }

  private number(): bigint {
    let negative = false;
    if (this.peek() === 0x2d) { negative = true; this.take(); }
    let c = this.peek();
    if (c < 0x30 || c > 0x39) this.fail(JSONL_ERRORS.syntax);
    let v = 0n;
    let digits = 0;
    const leadingZero = c === 0x30;
    while ((c = this.peek()) >= 0x30 && c <= 0x39) {
      this.take();
      if (++digits > 18) this.fail(JSONL_ERRORS.number);
      v = v * 10n + BigInt(c - 0x30);
    }
    if (leadingZero && digits > 1) this.fail(JSONL_ERRORS.syntax);
    if (c === 0x2e || c === 0x65 || c === 0x45) this.fail(JSONL_ERRORS.number);
    return negative ? -v : v;
  }

  private word(word: string): void {
    for (let i = 0; i < word.length; i++) if (this.take() !== word.charCodeAt(i)) this.fail(JSONL_ERRORS.syntax);
  }

  private value(key: string, onValue: (key: string, value: JsonValue) => void): void {
    const c = this.peek();
    let v: JsonValue;
    if (c === 0x22) { this.take(); v = { kind: "string", bytes: this.string() }; }
    else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) v = { kind: "number", number: this.number() };
    else if (c === 0x74) { this.word("true"); v = { kind: "true" }; }
    else if (c === 0x66) { this.word("false"); v = { kind: "false" }; }
    else if (c === 0x6e) { this.word("null"); v = { kind: "null" }; }
    else if (c === 0x7b || c === 0x5b) this.fail(JSONL_ERRORS.notFlat);
    else this.fail(c === EOF ? JSONL_ERRORS.eof : JSONL_ERRORS.syntax);
    onValue(key, v);
  }

  /** Reads the next object, calling onValue for each key in order; false at the end of the input. */
  next(onValue: (key: string, value: JsonValue) => void): boolean {
    let c: number;
    for (;;) {
      c = this.skipBlank();
      if (c === EOF) return false;
      this.line++;
      if (c !== 0x0a) break;
      this.take();
    }
    if (this.take() !== 0x7b) this.fail(JSONL_ERRORS.syntax);
    c = this.skipBlank();
    if (c === 0x7d) {
      this.take();
    } else {
      for (;;) {
        if (this.skipBlank() !== 0x22) this.fail(JSONL_ERRORS.syntax);
        this.take();
        const key = this.key();
        if (this.skipBlank() !== 0x3a) this.fail(JSONL_ERRORS.syntax);
        this.take();
        this.skipBlank();
        this.value(key, onValue);
        c = this.skipBlank();
        this.take();
        if (c === 0x7d) break;
        if (c !== 0x2c) this.fail(c === EOF ? JSONL_ERRORS.eof : JSONL_ERRORS.syntax);
      }
    }
    c = this.skipBlank();
    if (c !== 0x0a && c !== EOF) this.fail(JSONL_ERRORS.trailing);
    if (c === 0x0a) this.take();
    return true;
  }
}
