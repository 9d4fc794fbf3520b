// Encode then parse: whatever the encoder accepts, the parser accepts and reads
// back unchanged (names in lower case). 600 messages from a fixed-seed xorshift.
import { Reason, Field } from "../../assembly/xpl/abi/numbers";
import { parse } from "../../assembly/xpl/parser";
import { endMessage, encodedLength, encodeErrorField } from "../../assembly/xpl/encoder";
import { EncodeField } from "../../assembly/xpl/abi/numbers";
import { DATAGRAM_MAX, TARGET_BROADCAST, TARGET_DEVICE, TARGET_GROUP } from "../../assembly/xpl/limits";
import {
  msgType, msgHop, msgTargetKind, msgBodyCount,
  spanOffset, spanLength, keyLength, keyOffset, valueOffset, valueLength,
} from "../../assembly/xpl/message";
import { begin, pair, txToRx, rxText, lowerText, scrubRx } from "./support";
import { xorshift32 } from "../../assembly/shared/random";

// xorshift32, fixed seed: the same 600 messages on every run.
let state: u32 = 0x2545f491;

function next(): u32 {
  state = xorshift32(state);
  return state;
}

/** Uniform-enough integer in [lo, hi]. */
function between(lo: i32, hi: i32): i32 {
  return lo + <i32>(next() % <u32>(hi - lo + 1));
}

const ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const ALNUM_DASH = ALNUM + "-";

/** Random string of `len` bytes drawn from `alphabet`. */
function pick(alphabet: string, len: i32): string {
  let s = "";
  for (let i = 0; i < len; i++) s += alphabet.charAt(between(0, alphabet.length - 1));
  return s;
}

/** Random value: bytes 32..126. */
function value(len: i32): string {
  let s = "";
  for (let i = 0; i < len; i++) s += String.fromCharCode(between(32, 126));
  return s;
}

function address(): string {
  return pick(ALNUM, between(1, 8)) + "-" + pick(ALNUM, between(1, 8)) + "." + pick(ALNUM_DASH, between(1, 16));
}

function rx(field: i32): string {
  return rxText(spanOffset(field), spanLength(field));
}

const TYPE_NAMES: string[] = ["", "xpl-cmnd", "xpl-stat", "xpl-trig"];

/** Builds, encodes, parses and compares one random message; returns its body line count. */
function roundtrip(index: i32): i32 {
  let l = "message " + index.toString();
  let type = between(1, 3);
  let hop = between(1, 9);
  let source = address();
  let kind = between(0, 2);
  let target = kind == TARGET_BROADCAST ? "*"
    : kind == TARGET_GROUP ? (between(0, 1) ? "xpl-group." : "XPL-Group.") + pick(ALNUM_DASH, between(1, 16))
    : address();
  // a device address that happens to read xpl-group.NAME is a group
  if (kind == TARGET_DEVICE && lowerText(target).startsWith("xpl-group.")) kind = TARGET_GROUP;
  let schemaClass = pick(ALNUM_DASH, between(1, 8));
  let schemaType = pick(ALNUM_DASH, between(1, 8));
  let schema = schemaClass + "." + schemaType;

  expect<i32>(begin(type, hop, source, target, schema)).toBe(Reason.OK, l + ": begin");
  // type + "\n{\nhop=N\nsource=" ... "\n}\n" + schema + "\n{\n"
  let length = 8 + 7 + 1 + 8 + source.length + 8 + target.length + 3 + schema.length + 3;

  let wanted = between(0, 20);
  let keys: string[] = [];
  let values: string[] = [];
  for (let i = 0; i < wanted; i++) {
    let key = pick(ALNUM_DASH, between(1, 16));
    // room for this line ("k=v\n") and the final "}\n"
    let room = DATAGRAM_MAX - length - 2 - key.length - 2;
    if (room < 0) break;
    let v = value(between(0, room < 128 ? room : 128));
    expect<i32>(pair(key, v)).toBe(Reason.OK, l + ": pair " + i.toString());
    keys.push(key);
    values.push(v);
    length += key.length + v.length + 2;
  }
  length += 2;
  expect<i32>(endMessage()).toBe(length, l + ": endMessage length");
  expect<i32>(encodedLength()).toBe(length, l + ": encodedLength");
  expect<i32>(encodeErrorField()).toBe(EncodeField.NONE, l + ": no refused field");

  scrubRx();
  let n = txToRx();
  expect<i32>(parse(n)).toBe(Reason.OK, l + ": parse");

  expect<i32>(msgType).toBe(type, l + ": msgType");
  expect<string>(rx(Field.MSGTYPE)).toBe(TYPE_NAMES[type], l + ": msgtype text");
  expect<i32>(msgHop).toBe(hop, l + ": hop");
  expect<i32>(msgTargetKind).toBe(kind, l + ": target kind");

  let src = lowerText(source);
  let dash = src.indexOf("-");
  let dot = src.indexOf(".", dash);
  expect<string>(rx(Field.SOURCE)).toBe(src, l + ": source");
  expect<string>(rx(Field.SOURCE_VENDOR)).toBe(src.slice(0, dash), l + ": source vendor");
  expect<string>(rx(Field.SOURCE_DEVICE)).toBe(src.slice(dash + 1, dot), l + ": source device");
  expect<string>(rx(Field.SOURCE_INSTANCE)).toBe(src.slice(dot + 1), l + ": source instance");

  let tgt = lowerText(target);
  expect<string>(rx(Field.TARGET)).toBe(tgt, l + ": target");
  if (kind == TARGET_BROADCAST) {
    expect<i32>(spanLength(Field.TARGET_VENDOR)).toBe(0, l + ": broadcast vendor");
    expect<i32>(spanLength(Field.TARGET_DEVICE)).toBe(0, l + ": broadcast device");
    expect<i32>(spanLength(Field.TARGET_INSTANCE)).toBe(0, l + ": broadcast instance");
  } else {
    dash = tgt.indexOf("-");
    dot = tgt.indexOf(".", dash);
    expect<string>(rx(Field.TARGET_VENDOR)).toBe(tgt.slice(0, dash), l + ": target vendor");
    expect<string>(rx(Field.TARGET_DEVICE)).toBe(tgt.slice(dash + 1, dot), l + ": target device");
    expect<string>(rx(Field.TARGET_INSTANCE)).toBe(tgt.slice(dot + 1), l + ": target instance");
  }

  expect<string>(rx(Field.SCHEMA)).toBe(lowerText(schema), l + ": schema");
  expect<string>(rx(Field.SCHEMA_CLASS)).toBe(lowerText(schemaClass), l + ": schema class");
  expect<string>(rx(Field.SCHEMA_TYPE)).toBe(lowerText(schemaType), l + ": schema type");

  expect<i32>(msgBodyCount).toBe(keys.length, l + ": body count");
  for (let i = 0; i < keys.length; i++) {
    let li = l + ": line " + i.toString();
    expect<string>(rxText(keyOffset(i), keyLength(i))).toBe(lowerText(keys[i]), li + " key");
    expect<string>(rxText(valueOffset(i), valueLength(i))).toBe(values[i], li + " value");
  }
  return keys.length;
}

const PER_TEST = 100;
let done = 0;
let lines = 0;

function batch(): void {
  for (let i = 0; i < PER_TEST; i++) {
    lines += roundtrip(done);
    done++;
  }
}

describe("round trip: encode, copy TX to RX, parse, every field equal (fixed-seed xorshift)", () => {
  test("messages 0..99", () => { batch(); });
  test("messages 100..199", () => { batch(); });
  test("messages 200..299", () => { batch(); });
  test("messages 300..399", () => { batch(); });
  test("messages 400..499", () => { batch(); });
  test("messages 500..599", () => { batch(); });
  test("600 messages were checked, with thousands of body lines", () => {
    expect<i32>(done).toBe(600);
    expect<i32>(lines).toBeGreaterThan(3000);
  });
});
