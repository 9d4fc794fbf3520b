// The parser refuses every datagram that breaks the grammar of shared/spec/xpl.md,
// with the reason of the first rule broken, one count on that reason's counter,
// and an empty message view.
//
// The table below is the heart of this file: one row per malformed datagram, with
// the exact Reason expected. Datagrams are byte strings (see support.ts).
import { Reason, REASON_COUNT, Field, FIELD_COUNT } from "../../assembly/xpl/abi/numbers";
import { parse, accepted, rejectedCount } from "../../assembly/xpl/parser";
import {
  msgType, msgHop, msgTargetKind, msgBodyCount, spanOffset, spanLength,
} from "../../assembly/xpl/message";
import { Counters, putRx, scrubRx, rep, datagram, statWith, sizedDatagram, HEAD, SRC } from "./support";

const REASON_NAMES: string[] = [
  "OK", "TOO_LONG", "TRUNCATED", "MISSING_LF", "BAD_MSGTYPE", "MISSING_OPEN_BRACE",
  "MISSING_CLOSE_BRACE", "HEADER_MISSING", "HEADER_ORDER", "HEADER_KEY", "HEADER_EXTRA",
  "HOP_FORMAT", "HOP_RANGE", "SOURCE_FORMAT", "TARGET_FORMAT", "VENDOR_LENGTH",
  "DEVICE_LENGTH", "INSTANCE_LENGTH", "NAME_CHAR", "SCHEMA_FORMAT", "CLASS_LENGTH",
  "TYPE_LENGTH", "SCHEMA_CHAR", "MISSING_EQUALS", "KEY_LENGTH", "KEY_CHAR",
  "VALUE_LENGTH", "VALUE_CHAR", "TRAILING_DATA", "TOO_MANY_LINES", "BAD_ARGUMENT",
];

function reasonName(r: i32): string {
  return r >= 0 && r < REASON_NAMES.length ? REASON_NAMES[r] : "reason " + r.toString();
}

// ---------------------------------------------------------------------------
// The table.

class Case {
  constructor(
    public reason: Reason,
    public rule: string,
    public bytes: string,
    public hasLen: bool,
    public len: i32,
  ) {}
}

const CASES: Case[] = [];

/** A malformed datagram: its bytes are all of it. */
function bad(reason: Reason, rule: string, bytes: string): void {
  CASES.push(new Case(reason, rule, bytes, false, 0));
}

/** A datagram passed with an explicit length (only the first 1500 bytes reach RX). */
function badLen(reason: Reason, rule: string, bytes: string, len: i32): void {
  CASES.push(new Case(reason, rule, bytes, true, len));
}

// Parts of a well-formed message, to break one at a time.
const T = "xpl-stat\n";
const O = "{\n";
const HOP = "hop=1\n";
const SOURCE = "source=acme-sensor.kitchen\n";
const TARGET = "target=*\n";
const C = "}\n";
const SCHEMA = "hbeat.app\n";
const BODY = "interval=5\n";
const REST_AFTER_HEADER = SCHEMA + O + BODY + C;

function withType(t: string): string { return datagram(t, "1", SRC, "*", "hbeat.app", BODY); }
function withHop(h: string): string { return datagram("xpl-stat", h, SRC, "*", "hbeat.app", BODY); }
function withSource(s: string): string { return datagram("xpl-stat", "1", s, "*", "hbeat.app", BODY); }
function withTarget(t: string): string { return datagram("xpl-cmnd", "1", SRC, t, "hbeat.request", "command=request\n"); }
function withSchema(s: string): string { return datagram("xpl-stat", "1", SRC, "*", s, BODY); }
function withHeader(lines: string): string { return T + O + lines + REST_AFTER_HEADER; }
const VALID = statWith(BODY);

// TOO_LONG: a datagram is at most 1500 bytes; the length is checked before any byte.
badLen(Reason.TOO_LONG, "1501 bytes, one over the limit, though well formed", sizedDatagram(1500) + "x", 1501);
badLen(Reason.TOO_LONG, "1502 bytes", sizedDatagram(1500), 1502);
badLen(Reason.TOO_LONG, "9000 bytes (a jumbo frame)", sizedDatagram(1500), 9000);
badLen(Reason.TOO_LONG, "65535 bytes (largest UDP payload)", sizedDatagram(1500), 65535);
badLen(Reason.TOO_LONG, "a negative length, read as a huge unsigned one", VALID, -1);
badLen(Reason.TOO_LONG, "i32.MIN_VALUE length", VALID, i32.MIN_VALUE);

// TRUNCATED: the datagram ends where a block should open.
bad(Reason.TRUNCATED, "empty datagram", "");
bad(Reason.TRUNCATED, "message type line only", T);
bad(Reason.TRUNCATED, "message type line only, CR LF", "xpl-stat\r\n");
bad(Reason.TRUNCATED, "ends after the header block", HEAD);
bad(Reason.TRUNCATED, "ends after the schema line", HEAD + SCHEMA);
bad(Reason.TRUNCATED, "ends after the schema line, CR LF", HEAD + "hbeat.app\r\n");

// MISSING_LF: a line other than the final `}` is not ended by LF.
bad(Reason.MISSING_LF, "message type without LF", "xpl-stat");
bad(Reason.MISSING_LF, "message type ended by CR only", "xpl-stat\r");
bad(Reason.MISSING_LF, "header `{` without LF", T + "{");
bad(Reason.MISSING_LF, "hop line without LF", T + O + "hop=1");
bad(Reason.MISSING_LF, "source line without LF", T + O + HOP + "source=acme-sensor.kitchen");
bad(Reason.MISSING_LF, "target line without LF", T + O + HOP + SOURCE + "target=*");
bad(Reason.MISSING_LF, "header `}` without LF (only the last `}` may lack it)", T + O + HOP + SOURCE + TARGET + "}");
bad(Reason.MISSING_LF, "schema line without LF", HEAD + "hbeat.app");
bad(Reason.MISSING_LF, "body `{` without LF", HEAD + SCHEMA + "{");
bad(Reason.MISSING_LF, "body line without LF", HEAD + SCHEMA + O + "interval=5");
bad(Reason.MISSING_LF, "body line ended by CR only", HEAD + SCHEMA + O + "interval=5\r");
bad(Reason.MISSING_LF, "body key without `=` nor LF at the end", HEAD + SCHEMA + O + "interval");
bad(Reason.MISSING_LF, "old Mac line endings (CR only) everywhere",
  "xpl-stat\r{\rhop=1\rsource=acme-sensor.kitchen\rtarget=*\r}\rhbeat.app\r{\rinterval=5\r}\r");

// BAD_MSGTYPE: the first line is xpl-cmnd, xpl-stat or xpl-trig.
bad(Reason.BAD_MSGTYPE, "unknown type xpl-ctrl", withType("xpl-ctrl"));
bad(Reason.BAD_MSGTYPE, "type with a trailing space", withType("xpl-stat "));
bad(Reason.BAD_MSGTYPE, "type with a leading space", withType(" xpl-stat"));
bad(Reason.BAD_MSGTYPE, "underscore instead of dash", withType("xpl_stat"));
bad(Reason.BAD_MSGTYPE, "dot instead of dash", withType("xpl.stat"));
bad(Reason.BAD_MSGTYPE, "type one byte short", withType("xpl-sta"));
bad(Reason.BAD_MSGTYPE, "type one byte long", withType("xpl-statt"));
bad(Reason.BAD_MSGTYPE, "NUL in the type", withType("\x00pl-stat"));
bad(Reason.BAD_MSGTYPE, "byte >= 0x80 in the type", withType("xpl-st\xc1t"));
bad(Reason.BAD_MSGTYPE, "empty first line", withType(""));
bad(Reason.BAD_MSGTYPE, "two CRs before the LF (only one is forgiven)", withType("xpl-stat\r\r"));
bad(Reason.BAD_MSGTYPE, "schema where the type belongs", withType("hbeat.app"));
bad(Reason.BAD_MSGTYPE, "CR in place of the dash", withType("xpl\rstat"));

// MISSING_OPEN_BRACE: `{` alone on its line opens each block.
bad(Reason.MISSING_OPEN_BRACE, "`[` instead of `{`", "xpl-stat\n[\n" + HOP + SOURCE + TARGET + C + REST_AFTER_HEADER);
bad(Reason.MISSING_OPEN_BRACE, "header `{` left out", T + HOP + SOURCE + TARGET + C + REST_AFTER_HEADER);
bad(Reason.MISSING_OPEN_BRACE, "header `{` followed by a space", "xpl-stat\n{ \n" + HOP + SOURCE + TARGET + C + REST_AFTER_HEADER);
bad(Reason.MISSING_OPEN_BRACE, "header `{{`", "xpl-stat\n{{\n" + HOP + SOURCE + TARGET + C + REST_AFTER_HEADER);
bad(Reason.MISSING_OPEN_BRACE, "blank line before the header `{`", "xpl-stat\n\n{\n" + HOP + SOURCE + TARGET + C + REST_AFTER_HEADER);
bad(Reason.MISSING_OPEN_BRACE, "body `{` left out", HEAD + SCHEMA + BODY + C);
bad(Reason.MISSING_OPEN_BRACE, "blank line before the body `{`", HEAD + SCHEMA + "\n" + O + BODY + C);
bad(Reason.MISSING_OPEN_BRACE, "`(` instead of the body `{`", HEAD + SCHEMA + "(\n" + BODY + C);

// MISSING_CLOSE_BRACE: a block never closes.
bad(Reason.MISSING_CLOSE_BRACE, "ends right after the header `{`", T + O);
bad(Reason.MISSING_CLOSE_BRACE, "ends after hop", T + O + HOP);
bad(Reason.MISSING_CLOSE_BRACE, "ends after source", T + O + HOP + SOURCE);
bad(Reason.MISSING_CLOSE_BRACE, "ends after target", T + O + HOP + SOURCE + TARGET);
bad(Reason.MISSING_CLOSE_BRACE, "header `}` left out: schema follows target", T + O + HOP + SOURCE + TARGET + REST_AFTER_HEADER);
bad(Reason.MISSING_CLOSE_BRACE, "`]` instead of the header `}`", T + O + HOP + SOURCE + TARGET + "]\n" + REST_AFTER_HEADER);
bad(Reason.MISSING_CLOSE_BRACE, "header `}` followed by a space", T + O + HOP + SOURCE + TARGET + "} \n" + REST_AFTER_HEADER);
bad(Reason.MISSING_CLOSE_BRACE, "ends right after the body `{`", HEAD + SCHEMA + O);
bad(Reason.MISSING_CLOSE_BRACE, "body never closes", HEAD + SCHEMA + O + BODY);
bad(Reason.MISSING_CLOSE_BRACE, "body never closes, CR LF", HEAD + SCHEMA + O + "interval=5\r\n");

// HEADER_MISSING: the header closes before hop, source and target are all there.
bad(Reason.HEADER_MISSING, "empty header", withHeader(C));
bad(Reason.HEADER_MISSING, "hop only", withHeader(HOP + C));
bad(Reason.HEADER_MISSING, "hop and source only", withHeader(HOP + SOURCE + C));
bad(Reason.HEADER_MISSING, "hop only, `}` with CR LF", withHeader(HOP + "}\r\n"));

// HEADER_ORDER: hop, source, target, in that order.
bad(Reason.HEADER_ORDER, "source first", withHeader(SOURCE + HOP + TARGET + C));
bad(Reason.HEADER_ORDER, "target first", withHeader(TARGET + HOP + SOURCE + C));
bad(Reason.HEADER_ORDER, "target before source", withHeader(HOP + TARGET + SOURCE + C));
bad(Reason.HEADER_ORDER, "hop twice", withHeader(HOP + HOP + SOURCE + TARGET + C));
bad(Reason.HEADER_ORDER, "source twice", withHeader(HOP + SOURCE + SOURCE + TARGET + C));
bad(Reason.HEADER_ORDER, "hop again between source and target", withHeader(HOP + SOURCE + HOP + TARGET + C));

// HEADER_KEY: a header line that is not hop, source or target.
bad(Reason.HEADER_KEY, "hops= where hop= belongs", withHeader("hops=1\n" + SOURCE + TARGET + C));
bad(Reason.HEADER_KEY, "a body key in the header", withHeader("interval=5\n" + HOP + SOURCE + TARGET + C));
bad(Reason.HEADER_KEY, "hop without `=`", withHeader("hop 1\n" + SOURCE + TARGET + C));
bad(Reason.HEADER_KEY, "hop with a leading space", withHeader(" hop=1\n" + SOURCE + TARGET + C));
bad(Reason.HEADER_KEY, "NUL inside the hop key", withHeader("hop\x00=1\n" + SOURCE + TARGET + C));
bad(Reason.HEADER_KEY, "blank line where source belongs", withHeader(HOP + "\n" + SOURCE + TARGET + C));
bad(Reason.HEADER_KEY, "src= where source= belongs", withHeader(HOP + "src=acme-sensor.kitchen\n" + TARGET + C));
bad(Reason.HEADER_KEY, "targe= where target= belongs", withHeader(HOP + SOURCE + "targe=*\n" + C));
bad(Reason.HEADER_KEY, "destination= where target= belongs", withHeader(HOP + SOURCE + "destination=*\n" + C));

// HEADER_EXTRA: a line after target where `}` belongs.
bad(Reason.HEADER_EXTRA, "hop again after target", withHeader(HOP + SOURCE + TARGET + "hop=2\n" + C));
bad(Reason.HEADER_EXTRA, "source again after target", withHeader(HOP + SOURCE + TARGET + SOURCE + C));
bad(Reason.HEADER_EXTRA, "target twice", withHeader(HOP + SOURCE + TARGET + TARGET + C));
bad(Reason.HEADER_EXTRA, "an unknown key=value after target", withHeader(HOP + SOURCE + TARGET + "schema=hbeat.app\n" + C));
bad(Reason.HEADER_EXTRA, "an empty key=value after target", withHeader(HOP + SOURCE + TARGET + "x=\n" + C));

// HOP_FORMAT: hop is one decimal digit.
bad(Reason.HOP_FORMAT, "hop=a", withHop("a"));
bad(Reason.HOP_FORMAT, "hop empty", withHop(""));
bad(Reason.HOP_FORMAT, "hop=-1", withHop("-1"));
bad(Reason.HOP_FORMAT, "hop=+1", withHop("+1"));
bad(Reason.HOP_FORMAT, "hop=1a", withHop("1a"));
bad(Reason.HOP_FORMAT, "hop with a leading space", withHop(" 1"));
bad(Reason.HOP_FORMAT, "hop with a trailing space", withHop("1 "));
bad(Reason.HOP_FORMAT, "hop=NUL", withHop("\x00"));
bad(Reason.HOP_FORMAT, "hop=/ (the byte before 0)", withHop("/"));
bad(Reason.HOP_FORMAT, "hop=: (the byte after 9)", withHop(":"));
bad(Reason.HOP_FORMAT, "hop=0xb9 (Latin-1 superscript one)", withHop("\xb9"));
// reason.ts: HOP_FORMAT is "hop is not one decimal digit", HOP_RANGE "hop outside 1..9".
// "01" is two digits whose value, 1, is inside 1..9: only HOP_FORMAT describes it
// (an all-digit hop with a leading zero is not a number out of range).
bad(Reason.HOP_FORMAT, "hop=01, a leading zero (value in range, not one digit)", withHop("01"));

// HOP_RANGE: hop is 1..9.
bad(Reason.HOP_RANGE, "hop=0", withHop("0"));
bad(Reason.HOP_RANGE, "hop=10", withHop("10"));
bad(Reason.HOP_RANGE, "hop=99", withHop("99"));
bad(Reason.HOP_RANGE, "hop=255", withHop("255"));
bad(Reason.HOP_RANGE, "hop=4294967297 (would wrap to 1 in 32 bits)", withHop("4294967297"));

// SOURCE_FORMAT: source is vendor-device.instance.
bad(Reason.SOURCE_FORMAT, "source without dash", withSource("acmesensor.kitchen"));
bad(Reason.SOURCE_FORMAT, "source without dot", withSource("acme-sensor"));
bad(Reason.SOURCE_FORMAT, "source empty", withSource(""));
bad(Reason.SOURCE_FORMAT, "source with the dot before the dash", withSource("acme.sensor-kitchen"));
bad(Reason.SOURCE_FORMAT, "source=*", withSource("*"));
bad(Reason.SOURCE_FORMAT, "source with underscores only", withSource("acme_sensor_kitchen"));

// TARGET_FORMAT: target is `*`, vendor-device.instance or xpl-group.NAME.
bad(Reason.TARGET_FORMAT, "target empty", withTarget(""));
bad(Reason.TARGET_FORMAT, "target=**", withTarget("**"));
bad(Reason.TARGET_FORMAT, "target=* followed by a space", withTarget("* "));
bad(Reason.TARGET_FORMAT, "target without dot", withTarget("acme-sensor"));
bad(Reason.TARGET_FORMAT, "target without dash", withTarget("acmesensor.kitchen"));
bad(Reason.TARGET_FORMAT, "target=xpl-group without a name", withTarget("xpl-group"));
bad(Reason.TARGET_FORMAT, "target=all", withTarget("all"));

// VENDOR_LENGTH: vendor is 1..8.
bad(Reason.VENDOR_LENGTH, "source vendor empty", withSource("-sensor.kitchen"));
bad(Reason.VENDOR_LENGTH, "source vendor of 9", withSource("abcdefghi-sensor.kitchen"));
bad(Reason.VENDOR_LENGTH, "target vendor empty", withTarget("-sensor.kitchen"));
bad(Reason.VENDOR_LENGTH, "target vendor of 9", withTarget("abcdefghi-sensor.kitchen"));

// DEVICE_LENGTH: device is 1..8.
bad(Reason.DEVICE_LENGTH, "source device empty", withSource("acme-.kitchen"));
bad(Reason.DEVICE_LENGTH, "source device of 9", withSource("acme-abcdefghi.kitchen"));
bad(Reason.DEVICE_LENGTH, "target device empty", withTarget("acme-.kitchen"));
bad(Reason.DEVICE_LENGTH, "target device of 9", withTarget("acme-abcdefghi.kitchen"));

// INSTANCE_LENGTH: instance is 1..16 (a group NAME too).
bad(Reason.INSTANCE_LENGTH, "source instance empty", withSource("acme-sensor."));
bad(Reason.INSTANCE_LENGTH, "source instance of 17", withSource("acme-sensor." + rep("i", 17)));
bad(Reason.INSTANCE_LENGTH, "target instance of 17", withTarget("acme-sensor." + rep("i", 17)));
bad(Reason.INSTANCE_LENGTH, "group name empty", withTarget("xpl-group."));
bad(Reason.INSTANCE_LENGTH, "group name of 17", withTarget("xpl-group." + rep("g", 17)));

// NAME_CHAR: vendor and device are a-z0-9, instance a-z0-9 and `-`.
bad(Reason.NAME_CHAR, "NUL in the vendor", withSource("ac\x00e-sensor.kitchen"));
bad(Reason.NAME_CHAR, "byte 0xe9 in the vendor", withSource("acm\xe9-sensor.kitchen"));
bad(Reason.NAME_CHAR, "byte 0xff in the device", withSource("acme-sens\xffr.kitchen"));
bad(Reason.NAME_CHAR, "byte 0x80 in the instance", withSource("acme-sensor.kitchen\x80"));
bad(Reason.NAME_CHAR, "underscore in the vendor", withSource("ac_me-sensor.kitchen"));
bad(Reason.NAME_CHAR, "dash in the device", withSource("acme-sen-sor.kitchen"));
bad(Reason.NAME_CHAR, "dot in the instance", withSource("acme-sensor.kit.chen"));
bad(Reason.NAME_CHAR, "underscore in the instance", withSource("acme-sensor.kit_chen"));
bad(Reason.NAME_CHAR, "trailing space after the instance", withSource("acme-sensor.kitchen "));
bad(Reason.NAME_CHAR, "leading space before the vendor", withSource(" acme-sensor.kitchen"));
bad(Reason.NAME_CHAR, "CR in the middle of the instance", withSource("acme-sensor.kit\rchen"));
bad(Reason.NAME_CHAR, "NUL in the target instance", withTarget("acme-sensor.kitch\x00n"));
bad(Reason.NAME_CHAR, "`*` inside a group name", withTarget("xpl-group.lo*nge"));
bad(Reason.NAME_CHAR, "`!` after a group name", withTarget("xpl-group.lounge!"));

// SCHEMA_FORMAT: the schema is class.type.
bad(Reason.SCHEMA_FORMAT, "schema without dot", withSchema("hbeatapp"));
bad(Reason.SCHEMA_FORMAT, "schema empty", withSchema(""));
bad(Reason.SCHEMA_FORMAT, "schema with a space, no dot", withSchema("hbeat app"));
bad(Reason.SCHEMA_FORMAT, "schema line left out: `{` in its place", HEAD + O + BODY + C);

// CLASS_LENGTH / TYPE_LENGTH: each part 1..8.
bad(Reason.CLASS_LENGTH, "class empty", withSchema(".app"));
bad(Reason.CLASS_LENGTH, "schema is a lone dot", withSchema("."));
bad(Reason.CLASS_LENGTH, "class of 9", withSchema("abcdefghi.app"));
bad(Reason.TYPE_LENGTH, "type empty", withSchema("hbeat."));
bad(Reason.TYPE_LENGTH, "type of 9", withSchema("hbeat.abcdefghi"));

// SCHEMA_CHAR: class and type are a-z0-9 and `-`.
bad(Reason.SCHEMA_CHAR, "a second dot in the schema", withSchema("hbeat.app.x"));
bad(Reason.SCHEMA_CHAR, "underscore in the class", withSchema("hb_at.app"));
bad(Reason.SCHEMA_CHAR, "`*` in the class", withSchema("hbe*t.app"));
bad(Reason.SCHEMA_CHAR, "byte 0x80 in the type", withSchema("hbeat.ap\x80"));
bad(Reason.SCHEMA_CHAR, "NUL in the type", withSchema("hbeat.a\x00p"));
bad(Reason.SCHEMA_CHAR, "trailing space after the type", withSchema("hbeat.app "));
bad(Reason.SCHEMA_CHAR, "two CRs before the LF", withSchema("hbeat.app\r\r"));

// MISSING_EQUALS: a body line is key=value.
bad(Reason.MISSING_EQUALS, "body line without `=`", statWith("interval\n"));
bad(Reason.MISSING_EQUALS, "blank body line", statWith("\n"));
bad(Reason.MISSING_EQUALS, "blank body line, CR LF", statWith("\r\n"));
bad(Reason.MISSING_EQUALS, "space instead of `=`", statWith("interval 5\n"));
bad(Reason.MISSING_EQUALS, "second body line without `=`", statWith("interval=5\nversion\n"));

// KEY_LENGTH: a key is 1..16.
bad(Reason.KEY_LENGTH, "empty key", statWith("=5\n"));
bad(Reason.KEY_LENGTH, "empty key and value", statWith("interval=5\n=\n"));
bad(Reason.KEY_LENGTH, "17-byte key", statWith(rep("k", 17) + "=5\n"));
bad(Reason.KEY_LENGTH, "40-byte key", statWith(rep("k", 40) + "=5\n"));

// KEY_CHAR: a key is a-z0-9 and `-`.
bad(Reason.KEY_CHAR, "underscore in a key", statWith("inter_val=5\n"));
bad(Reason.KEY_CHAR, "space in a key", statWith("inter val=5\n"));
bad(Reason.KEY_CHAR, "dot in a key", statWith("ke.y=5\n"));
bad(Reason.KEY_CHAR, "CR before the `=`", statWith("interval\r=5\n"));
bad(Reason.KEY_CHAR, "NUL in a key", statWith("k\x00y=5\n"));
bad(Reason.KEY_CHAR, "byte 0x80 in a key", statWith("k\x80y=5\n"));
bad(Reason.KEY_CHAR, "byte 0xff as a whole key", statWith("\xff=5\n"));

// VALUE_LENGTH: a value is 0..128 bytes.
bad(Reason.VALUE_LENGTH, "129-byte value", statWith("k=" + rep("v", 129) + "\n"));
bad(Reason.VALUE_LENGTH, "129-byte value, CR LF", statWith("k=" + rep("v", 129) + "\r\n"));
bad(Reason.VALUE_LENGTH, "129-byte value of bytes 0x80", statWith("k=" + rep("\x80", 129) + "\n"));
bad(Reason.VALUE_LENGTH, "1000-byte value", statWith("k=" + rep("v", 1000) + "\n"));

// VALUE_CHAR: no control byte (0..31, 127) in a value; only a CR just before the LF is forgiven.
bad(Reason.VALUE_CHAR, "CR in the middle of a value", statWith("k=a\rb\n"));
bad(Reason.VALUE_CHAR, "CR at the start of a value", statWith("k=\rvalue\n"));
bad(Reason.VALUE_CHAR, "two CRs before the LF", statWith("k=value\r\r\n"));
bad(Reason.VALUE_CHAR, "NUL in a value", statWith("k=a\x00b\n"));
bad(Reason.VALUE_CHAR, "TAB in a value", statWith("k=a\tb\n"));
bad(Reason.VALUE_CHAR, "DEL (127) in a value", statWith("k=\x7f\n"));
bad(Reason.VALUE_CHAR, "ESC sequence in a value", statWith("k=\x1b[0m\n"));
bad(Reason.VALUE_CHAR, "byte 31 in a value", statWith("k=\x1f\n"));

// TRAILING_DATA: nothing follows the closing `}` and its line end.
bad(Reason.TRAILING_DATA, "a blank line after `}`", VALID + "\n");
bad(Reason.TRAILING_DATA, "a byte after `}` and LF", VALID + "x");
bad(Reason.TRAILING_DATA, "a space after `}` and LF", VALID + " ");
bad(Reason.TRAILING_DATA, "NUL padding after `}` and LF", VALID + "\x00\x00\x00\x00");
bad(Reason.TRAILING_DATA, "CR LF after `}` and LF", VALID + "\r\n");
bad(Reason.TRAILING_DATA, "a second `}`", VALID + "}");
bad(Reason.TRAILING_DATA, "two CR LF after `}`", HEAD + SCHEMA + O + BODY + "}\r\n\r\n");
bad(Reason.TRAILING_DATA, "two messages in one datagram", VALID + VALID);

// ---------------------------------------------------------------------------

/** A valid message that fills every part of the view (group target, hop 3, two lines). */
const PRIOR = datagram("xpl-cmnd", "3", SRC, "xpl-group.lounge", "config.response", "newconf=lounge\ninterval=2\n");

function expectViewEmpty(label: string): void {
  expect<i32>(msgType).toBe(0, label + ": msgType");
  expect<i32>(msgHop).toBe(0, label + ": msgHop");
  expect<i32>(msgTargetKind).toBe(0, label + ": msgTargetKind");
  expect<i32>(msgBodyCount).toBe(0, label + ": msgBodyCount");
  for (let f = 0; f < FIELD_COUNT; f++) {
    expect<i32>(spanOffset(f)).toBe(0, label + ": spanOffset of field " + f.toString());
    expect<i32>(spanLength(f)).toBe(0, label + ": spanLength of field " + f.toString());
  }
}

/** Runs one row: after a successful parse, the malformed datagram is refused as the row says. */
function runCase(c: Case): void {
  let label = reasonName(c.reason) + " / " + c.rule;
  // The previous parse succeeded and filled the view.
  scrubRx();
  expect<i32>(parse(putRx(PRIOR))).toBe(Reason.OK, label + ": the prior valid datagram");
  expect<i32>(msgType).toBe(1, label + ": prior msgType");
  expect<i32>(msgBodyCount).toBe(2, label + ": prior body count");

  let before = Counters.take();
  scrubRx();
  let n = putRx(c.bytes);
  let len = c.hasLen ? c.len : n;
  let got = parse(len);
  expect<string>(reasonName(got)).toBe(reasonName(c.reason), label);

  let after = Counters.take();
  for (let r = 0; r < REASON_COUNT; r++) {
    let delta = after.rejected[r] - before.rejected[r];
    expect<u32>(delta).toBe(r == <i32>c.reason ? 1 : 0, label + ": counter of " + reasonName(r));
  }
  expect<u32>(after.accepted - before.accepted).toBe(0, label + ": accepted counter");
  expectViewEmpty(label);
}

let cursor = 0;

describe("parser: every malformed datagram is refused with the reason of the first rule broken", () => {
  test("the table has at least 70 rows and names every reason the parser can return", () => {
    expect<i32>(CASES.length).toBeGreaterThanOrEqual(70);
    // Every reason from TOO_LONG to TRAILING_DATA; TOO_MANY_LINES cannot happen
    // within 1500 bytes and BAD_ARGUMENT belongs to the encoder.
    for (let r = <i32>Reason.TOO_LONG; r <= <i32>Reason.TRAILING_DATA; r++) {
      let seen = 0;
      for (let i = 0; i < CASES.length; i++) if (<i32>CASES[i].reason == r) seen++;
      expect<i32>(seen).toBeGreaterThanOrEqual(1, "rows for " + reasonName(r));
    }
  });

  // One test per row; each row runs in order (the cursor is global: AS has no closures).
  for (let i = 0; i < CASES.length; i++) {
    test(reasonName(CASES[i].reason) + ": " + CASES[i].rule, () => {
      runCase(CASES[cursor++]);
    });
  }
});

// ---------------------------------------------------------------------------
// Whole character classes, byte by byte (LF excluded: it ends the line).

function expectReason(bytes: string, want: Reason, label: string): void {
  scrubRx();
  expect<string>(reasonName(parse(putRx(bytes)))).toBe(reasonName(want), label);
}

function isDigit(b: i32): bool { return b >= 48 && b <= 57; }
function isAlpha(b: i32): bool { return (b >= 65 && b <= 90) || (b >= 97 && b <= 122); }

describe("parser: character classes, every byte value", () => {
  test("hop: only 1..9 pass; 0 is HOP_RANGE; every other byte HOP_FORMAT", () => {
    for (let b = 0; b < 256; b++) {
      if (b == 10 || b == 13) continue; // line end, tested in the table
      let want = b >= 49 && b <= 57 ? Reason.OK : b == 48 ? Reason.HOP_RANGE : Reason.HOP_FORMAT;
      expectReason(withHop(String.fromCharCode(b)), want, "hop byte " + b.toString());
    }
  });

  test("vendor and device: a-z A-Z 0-9 pass, every other byte is NAME_CHAR", () => {
    for (let b = 0; b < 256; b++) {
      if (b == 10 || b == 0x2d || b == 0x2e) continue; // LF ends the line; `-` and `.` split the address
      let ok = isDigit(b) || isAlpha(b);
      let ch = String.fromCharCode(b);
      expectReason(withSource("a" + ch + "c-sensor.kitchen"), ok ? Reason.OK : Reason.NAME_CHAR, "vendor byte " + b.toString());
      expectReason(withSource("acme-s" + ch + "r.kitchen"), ok ? Reason.OK : Reason.NAME_CHAR, "device byte " + b.toString());
    }
  });

  test("instance: a-z A-Z 0-9 and `-` pass, every other byte is NAME_CHAR", () => {
    for (let b = 0; b < 256; b++) {
      if (b == 10) continue;
      let ok = isDigit(b) || isAlpha(b) || b == 0x2d;
      expectReason(withSource("acme-sensor.k" + String.fromCharCode(b) + "n"), ok ? Reason.OK : Reason.NAME_CHAR, "instance byte " + b.toString());
    }
  });

  test("schema: a-z A-Z 0-9 and `-` pass, every other byte is SCHEMA_CHAR", () => {
    for (let b = 0; b < 256; b++) {
      if (b == 10 || b == 0x2e) continue; // `.` splits class from type
      let ok = isDigit(b) || isAlpha(b) || b == 0x2d;
      let ch = String.fromCharCode(b);
      expectReason(withSchema("h" + ch + "eat.app"), ok ? Reason.OK : Reason.SCHEMA_CHAR, "class byte " + b.toString());
      expectReason(withSchema("hbeat.a" + ch + "p"), ok ? Reason.OK : Reason.SCHEMA_CHAR, "type byte " + b.toString());
    }
  });

  test("key: a-z A-Z 0-9 and `-` pass, every other byte is KEY_CHAR", () => {
    for (let b = 0; b < 256; b++) {
      if (b == 10 || b == 0x3d) continue; // LF ends the line; `=` ends the key
      let ok = isDigit(b) || isAlpha(b) || b == 0x2d;
      expectReason(statWith("k" + String.fromCharCode(b) + "y=5\n"), ok ? Reason.OK : Reason.KEY_CHAR, "key byte " + b.toString());
    }
  });

  test("value: 32..126 and 128..255 pass, 0..31 and 127 are VALUE_CHAR", () => {
    for (let b = 0; b < 256; b++) {
      if (b == 10) continue;
      let ok = (b >= 32 && b <= 126) || b >= 128;
      expectReason(statWith("k=a" + String.fromCharCode(b) + "b\n"), ok ? Reason.OK : Reason.VALUE_CHAR, "value byte " + b.toString());
    }
  });
});

describe("parser: rejection counters", () => {
  test("counters add up: N rejections of one reason count N, and accepted() counts only successes", () => {
    let before = Counters.take();
    for (let i = 0; i < 7; i++) {
      scrubRx();
      expect<i32>(parse(putRx(withHop("0")))).toBe(Reason.HOP_RANGE);
    }
    for (let i = 0; i < 3; i++) {
      scrubRx();
      expect<i32>(parse(putRx(VALID))).toBe(Reason.OK);
    }
    let after = Counters.take();
    expect<u32>(after.rejected[Reason.HOP_RANGE] - before.rejected[Reason.HOP_RANGE]).toBe(7);
    expect<u32>(after.accepted - before.accepted).toBe(3);
    for (let r = 0; r < REASON_COUNT; r++) {
      if (r == <i32>Reason.HOP_RANGE) continue;
      expect<u32>(after.rejected[r]).toBe(before.rejected[r], "counter of " + reasonName(r));
    }
  });

  test("rejectedCount of a code out of range is 0", () => {
    expect<u32>(rejectedCount(-1)).toBe(0);
    expect<u32>(rejectedCount(REASON_COUNT)).toBe(0);
    expect<u32>(rejectedCount(1000)).toBe(0);
  });

  test("a rejection after an acceptance leaves accepted() unchanged", () => {
    scrubRx();
    expect<i32>(parse(putRx(VALID))).toBe(Reason.OK);
    let a = accepted();
    scrubRx();
    expect<i32>(parse(putRx(statWith("=\n")))).toBe(Reason.KEY_LENGTH);
    expect<u32>(accepted()).toBe(a);
    expect<i32>(spanLength(Field.SOURCE)).toBe(0);
  });
});
