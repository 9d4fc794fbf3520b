// The encoder writes exactly the bytes of shared/spec/xpl.md: LF line endings,
// names in lower case, `}\n` last. Any refused argument drops the whole message.
import { Reason, EncodeField } from "../../assembly/xpl/abi/numbers";
import {
  beginMessage, addPair, endMessage, encodedLength, encodeErrorField,
} from "../../assembly/xpl/encoder";
import { parse } from "../../assembly/xpl/parser";
import { MSGTYPE_CMND, MSGTYPE_STAT, MSGTYPE_TRIG, TARGET_BROADCAST, TARGET_DEVICE, TARGET_GROUP } from "../../assembly/xpl/limits";
import { msgType, msgTargetKind, msgBodyCount } from "../../assembly/xpl/message";
import { TX } from "../../assembly/xpl/buffers";
import { begin, pair, txText, txToRx, rep, bytesText, scrubRx } from "./support";

const DEVICE = "acme-sensor.kitchen";
const MANAGER = "domogik-manager.host1";

/** Ends the message, checks its length, its bytes, and that the parser accepts it back. */
function expectGolden(golden: string): void {
  let n = endMessage();
  expect<i32>(n).toBe(golden.length, "endMessage length");
  expect<i32>(encodedLength()).toBe(golden.length, "encodedLength");
  expect<string>(txText()).toBe(golden);
  expect<i32>(encodeErrorField()).toBe(EncodeField.NONE, "no refused field");
  scrubRx();
  expect<i32>(parse(txToRx())).toBe(Reason.OK, "the parser accepts what the encoder wrote");
}

function header(type: string, source: string, target: string, schema: string): string {
  return type + "\n{\nhop=1\nsource=" + source + "\ntarget=" + target + "\n}\n" + schema + "\n{\n";
}

describe("encoder: golden heartbeats", () => {
  test("hbeat.basic: xpl-stat, interval and version", () => {
    expect<i32>(begin(MSGTYPE_STAT, 1, DEVICE, "*", "hbeat.basic")).toBe(Reason.OK);
    expect<i32>(pair("interval", "5")).toBe(Reason.OK);
    expect<i32>(pair("version", "1.0")).toBe(Reason.OK);
    expectGolden(
      "xpl-stat\n{\nhop=1\nsource=acme-sensor.kitchen\ntarget=*\n}\nhbeat.basic\n{\n" +
      "interval=5\nversion=1.0\n}\n");
  });

  test("hbeat.app: the spec's example byte for byte", () => {
    expect<i32>(begin(MSGTYPE_STAT, 1, DEVICE, "*", "hbeat.app")).toBe(Reason.OK);
    expect<i32>(pair("interval", "5")).toBe(Reason.OK);
    expect<i32>(pair("port", "50123")).toBe(Reason.OK);
    expect<i32>(pair("remote-ip", "192.168.1.20")).toBe(Reason.OK);
    expect<i32>(pair("version", "1.0")).toBe(Reason.OK);
    expectGolden(
      "xpl-stat\n{\nhop=1\nsource=acme-sensor.kitchen\ntarget=*\n}\nhbeat.app\n{\n" +
      "interval=5\nport=50123\nremote-ip=192.168.1.20\nversion=1.0\n}\n");
  });

  test("hbeat.app with Domogik's status extension", () => {
    expect<i32>(begin(MSGTYPE_STAT, 1, DEVICE, "*", "hbeat.app")).toBe(Reason.OK);
    pair("interval", "5");
    pair("port", "50123");
    pair("remote-ip", "192.168.1.20");
    pair("version", "0.4");
    pair("status", "2");
    expectGolden(header("xpl-stat", DEVICE, "*", "hbeat.app") +
      "interval=5\nport=50123\nremote-ip=192.168.1.20\nversion=0.4\nstatus=2\n}\n");
  });

  test("hbeat.end: xpl-stat, empty body", () => {
    expect<i32>(begin(MSGTYPE_STAT, 1, DEVICE, "*", "hbeat.end")).toBe(Reason.OK);
    expectGolden("xpl-stat\n{\nhop=1\nsource=acme-sensor.kitchen\ntarget=*\n}\nhbeat.end\n{\n}\n");
  });

  test("hbeat.request: xpl-cmnd to `*`, command=request", () => {
    expect<i32>(begin(MSGTYPE_CMND, 1, MANAGER, "*", "hbeat.request")).toBe(Reason.OK);
    expect<i32>(pair("command", "request")).toBe(Reason.OK);
    expectGolden(
      "xpl-cmnd\n{\nhop=1\nsource=domogik-manager.host1\ntarget=*\n}\nhbeat.request\n{\n" +
      "command=request\n}\n");
  });
});

describe("encoder: golden config messages", () => {
  test("config.basic: as hbeat.basic", () => {
    expect<i32>(begin(MSGTYPE_STAT, 1, DEVICE, "*", "config.basic")).toBe(Reason.OK);
    pair("interval", "5");
    pair("version", "1.0");
    expectGolden(
      "xpl-stat\n{\nhop=1\nsource=acme-sensor.kitchen\ntarget=*\n}\nconfig.basic\n{\n" +
      "interval=5\nversion=1.0\n}\n");
  });

  test("config.app: as hbeat.app", () => {
    expect<i32>(begin(MSGTYPE_STAT, 1, DEVICE, "*", "config.app")).toBe(Reason.OK);
    pair("interval", "5");
    pair("port", "50123");
    pair("remote-ip", "192.168.1.20");
    pair("version", "1.0");
    expectGolden(
      "xpl-stat\n{\nhop=1\nsource=acme-sensor.kitchen\ntarget=*\n}\nconfig.app\n{\n" +
      "interval=5\nport=50123\nremote-ip=192.168.1.20\nversion=1.0\n}\n");
  });

  test("config.end: xpl-stat, empty body", () => {
    expect<i32>(begin(MSGTYPE_STAT, 1, DEVICE, "*", "config.end")).toBe(Reason.OK);
    expectGolden("xpl-stat\n{\nhop=1\nsource=acme-sensor.kitchen\ntarget=*\n}\nconfig.end\n{\n}\n");
  });

  test("config.list request: xpl-cmnd to the device, command=request", () => {
    expect<i32>(begin(MSGTYPE_CMND, 1, MANAGER, DEVICE, "config.list")).toBe(Reason.OK);
    pair("command", "request");
    expectGolden(
      "xpl-cmnd\n{\nhop=1\nsource=domogik-manager.host1\ntarget=acme-sensor.kitchen\n}\nconfig.list\n{\n" +
      "command=request\n}\n");
  });

  test("config.list answer: reconf=newconf, option=interval, option=group[16], option=filter[16]", () => {
    expect<i32>(begin(MSGTYPE_STAT, 1, DEVICE, "*", "config.list")).toBe(Reason.OK);
    expect<i32>(pair("reconf", "newconf")).toBe(Reason.OK);
    expect<i32>(pair("option", "interval")).toBe(Reason.OK);
    expect<i32>(pair("option", "group[16]")).toBe(Reason.OK);
    expect<i32>(pair("option", "filter[16]")).toBe(Reason.OK);
    expectGolden(
      "xpl-stat\n{\nhop=1\nsource=acme-sensor.kitchen\ntarget=*\n}\nconfig.list\n{\n" +
      "reconf=newconf\noption=interval\noption=group[16]\noption=filter[16]\n}\n");
  });

  test("config.current request: xpl-cmnd to the device, command=request", () => {
    expect<i32>(begin(MSGTYPE_CMND, 1, MANAGER, DEVICE, "config.current")).toBe(Reason.OK);
    pair("command", "request");
    expectGolden(
      "xpl-cmnd\n{\nhop=1\nsource=domogik-manager.host1\ntarget=acme-sensor.kitchen\n}\nconfig.current\n{\n" +
      "command=request\n}\n");
  });

  test("config.current answer: newconf, interval, each group=, each filter=", () => {
    expect<i32>(begin(MSGTYPE_STAT, 1, DEVICE, "*", "config.current")).toBe(Reason.OK);
    pair("newconf", "kitchen");
    pair("interval", "5");
    pair("group", "xpl-group.lounge");
    pair("group", "xpl-group.drapes");
    pair("filter", "xpl-cmnd.acme.*.*.*.*");
    pair("filter", "xpl-stat.*.*.*.hbeat.*");
    expectGolden(
      "xpl-stat\n{\nhop=1\nsource=acme-sensor.kitchen\ntarget=*\n}\nconfig.current\n{\n" +
      "newconf=kitchen\ninterval=5\ngroup=xpl-group.lounge\ngroup=xpl-group.drapes\n" +
      "filter=xpl-cmnd.acme.*.*.*.*\nfilter=xpl-stat.*.*.*.hbeat.*\n}\n");
  });

  test("config.current answer with empty lists: one empty group= and filter=", () => {
    expect<i32>(begin(MSGTYPE_STAT, 1, DEVICE, "*", "config.current")).toBe(Reason.OK);
    pair("newconf", "kitchen");
    pair("interval", "5");
    pair("group", "");
    pair("filter", "");
    expectGolden(header("xpl-stat", DEVICE, "*", "config.current") +
      "newconf=kitchen\ninterval=5\ngroup=\nfilter=\n}\n");
  });

  test("config.response: the spec's example, xpl-cmnd to the device", () => {
    expect<i32>(begin(MSGTYPE_CMND, 1, MANAGER, DEVICE, "config.response")).toBe(Reason.OK);
    pair("newconf", "lounge");
    pair("interval", "2");
    pair("group", "xpl-group.drapes");
    pair("group", "xpl-group.lounge");
    expectGolden(
      "xpl-cmnd\n{\nhop=1\nsource=domogik-manager.host1\ntarget=acme-sensor.kitchen\n}\nconfig.response\n{\n" +
      "newconf=lounge\ninterval=2\ngroup=xpl-group.drapes\ngroup=xpl-group.lounge\n}\n");
    expect<i32>(msgTargetKind).toBe(TARGET_DEVICE);
    expect<i32>(msgBodyCount).toBe(4);
  });
});

describe("encoder: header forms", () => {
  test("each message type and hops 1..9 are written as given", () => {
    let names: string[] = ["xpl-cmnd", "xpl-stat", "xpl-trig"];
    for (let t = MSGTYPE_CMND; t <= MSGTYPE_TRIG; t++) {
      for (let h = 1; h <= 9; h++) {
        expect<i32>(begin(t, h, DEVICE, "*", "hbeat.basic")).toBe(Reason.OK);
        let golden = names[t - 1] + "\n{\nhop=" + h.toString() + "\nsource=acme-sensor.kitchen\ntarget=*\n}\nhbeat.basic\n{\n}\n";
        expect<i32>(endMessage()).toBe(golden.length);
        expect<string>(txText()).toBe(golden);
        scrubRx();
        expect<i32>(parse(txToRx())).toBe(Reason.OK);
        expect<i32>(msgType).toBe(t);
      }
    }
  });

  test("a group target is written as given and parses as a group", () => {
    expect<i32>(begin(MSGTYPE_CMND, 1, MANAGER, "xpl-group.lounge", "lighting.basic")).toBe(Reason.OK);
    pair("command", "on");
    expectGolden(header("xpl-cmnd", MANAGER, "xpl-group.lounge", "lighting.basic") + "command=on\n}\n");
    expect<i32>(msgTargetKind).toBe(TARGET_GROUP);
  });

  test("names, schema and keys are written lower case; values are kept as given", () => {
    expect<i32>(begin(MSGTYPE_TRIG, 2, "ACME-Sensor.KITCHEN-1", "XPL-GROUP.Lounge", "Sensor.BASIC")).toBe(Reason.OK);
    expect<i32>(pair("Device", "Temp-1 ABC")).toBe(Reason.OK);
    expect<i32>(pair("CURRENT", "21.5 C")).toBe(Reason.OK);
    expectGolden(
      "xpl-trig\n{\nhop=2\nsource=acme-sensor.kitchen-1\ntarget=xpl-group.lounge\n}\nsensor.basic\n{\n" +
      "device=Temp-1 ABC\ncurrent=21.5 C\n}\n");
  });

  test("an xPLLib-style upper-case instance is lowered", () => {
    expect<i32>(begin(MSGTYPE_STAT, 1, "xpl-hub.7F000001MWQMJ5TT", "*", "hbeat.app")).toBe(Reason.OK);
    expectGolden(header("xpl-stat", "xpl-hub.7f000001mwqmj5tt", "*", "hbeat.app") + "}\n");
  });

  test("the longest names and a 128-byte value of bytes 32..126 and 128..255", () => {
    let v = "";
    for (let b = 32; b <= 126; b++) v += String.fromCharCode(b);
    for (let b = 128; v.length < 128; b++) v += String.fromCharCode(b);
    expect<i32>(v.length).toBe(128);
    expect<i32>(begin(MSGTYPE_STAT, 9, "abcdefgh-12345678.instance-1234567", "vendor00-device00.0123456789abcdef", "class-12.type-123")).toBe(Reason.OK);
    expect<i32>(pair(rep("k", 16), v)).toBe(Reason.OK);
    expectGolden(
      "xpl-stat\n{\nhop=9\nsource=abcdefgh-12345678.instance-1234567\ntarget=vendor00-device00.0123456789abcdef\n}\n" +
      "class-12.type-123\n{\n" + rep("k", 16) + "=" + v + "\n}\n");
  });

  test("a new beginMessage replaces the finished message", () => {
    begin(MSGTYPE_STAT, 1, DEVICE, "*", "hbeat.app");
    pair("interval", "5");
    endMessage();
    expect<i32>(begin(MSGTYPE_STAT, 1, DEVICE, "*", "hbeat.end")).toBe(Reason.OK);
    expect<i32>(encodedLength()).toBe(0, "nothing to send while the new message is open");
    expectGolden(header("xpl-stat", DEVICE, "*", "hbeat.end") + "}\n");
  });
});

// ---------------------------------------------------------------------------
// Refusals: the reason, the field, and no message at all in TX.

/** A finished message sits in TX before each refusal, so a refusal must also drop it. */
function finishSomething(): void {
  begin(MSGTYPE_STAT, 1, DEVICE, "*", "hbeat.basic");
  pair("interval", "5");
  expect<i32>(endMessage()).toBeGreaterThan(0, "setup: a finished message");
}

function expectNoMessage(label: string): void {
  expect<i32>(encodedLength()).toBe(0, label + ": encodedLength after the refusal");
  expect<i32>(endMessage()).toBe(0, label + ": endMessage after the refusal");
  expect<i32>(encodedLength()).toBe(0, label + ": encodedLength after endMessage");
  expect<string>(txText()).toBe("", label + ": TX text");
}

function expectBeginRefused(type: i32, hop: i32, source: string, target: string, schema: string,
  reason: Reason, field: EncodeField, label: string): void {
  finishSomething();
  expect<i32>(begin(type, hop, source, target, schema)).toBe(reason, label);
  expect<i32>(encodeErrorField()).toBe(field, label + ": encodeErrorField");
  expectNoMessage(label);
  // and the message stays dropped: later pairs are refused as having no open message
  expect<i32>(pair("k", "v")).toBe(Reason.BAD_ARGUMENT, label + ": addPair after the refusal");
  expect<i32>(encodedLength()).toBe(0, label + ": still nothing");
}

function expectPairRefused(key: string, value: string, reason: Reason, field: EncodeField, label: string): void {
  finishSomething();
  expect<i32>(begin(MSGTYPE_STAT, 1, DEVICE, "*", "hbeat.app")).toBe(Reason.OK, label + ": begin");
  expect<i32>(pair("interval", "5")).toBe(Reason.OK, label + ": a good pair first");
  expect<i32>(pair(key, value)).toBe(reason, label);
  expect<i32>(encodeErrorField()).toBe(field, label + ": encodeErrorField");
  expectNoMessage(label);
  expect<i32>(pair("version", "1.0")).toBe(Reason.BAD_ARGUMENT, label + ": a good pair after the refusal");
  expect<i32>(endMessage()).toBe(0, label + ": endMessage after the refusal");
  expect<i32>(encodedLength()).toBe(0, label + ": no partial message");
}

describe("encoder: refusals drop the whole message", () => {
  test("message type outside cmnd/stat/trig is BAD_MSGTYPE (field MSGTYPE)", () => {
    expectBeginRefused(0, 1, DEVICE, "*", "hbeat.app", Reason.BAD_MSGTYPE, EncodeField.MSGTYPE, "type 0");
    expectBeginRefused(4, 1, DEVICE, "*", "hbeat.app", Reason.BAD_MSGTYPE, EncodeField.MSGTYPE, "type 4");
    expectBeginRefused(-1, 1, DEVICE, "*", "hbeat.app", Reason.BAD_MSGTYPE, EncodeField.MSGTYPE, "type -1");
  });

  test("hop outside 1..9 is HOP_RANGE (field HOP)", () => {
    expectBeginRefused(MSGTYPE_STAT, 0, DEVICE, "*", "hbeat.app", Reason.HOP_RANGE, EncodeField.HOP, "hop 0");
    expectBeginRefused(MSGTYPE_STAT, 10, DEVICE, "*", "hbeat.app", Reason.HOP_RANGE, EncodeField.HOP, "hop 10");
    expectBeginRefused(MSGTYPE_STAT, -1, DEVICE, "*", "hbeat.app", Reason.HOP_RANGE, EncodeField.HOP, "hop -1");
  });

  test("source limits and characters (field SOURCE)", () => {
    let s = MSGTYPE_STAT;
    expectBeginRefused(s, 1, "acmesensor.kitchen", "*", "hbeat.app", Reason.SOURCE_FORMAT, EncodeField.SOURCE, "no dash");
    expectBeginRefused(s, 1, "acme-sensor", "*", "hbeat.app", Reason.SOURCE_FORMAT, EncodeField.SOURCE, "no dot");
    expectBeginRefused(s, 1, "", "*", "hbeat.app", Reason.SOURCE_FORMAT, EncodeField.SOURCE, "empty");
    expectBeginRefused(s, 1, "*", "*", "hbeat.app", Reason.SOURCE_FORMAT, EncodeField.SOURCE, "source *");
    expectBeginRefused(s, 1, "-sensor.kitchen", "*", "hbeat.app", Reason.VENDOR_LENGTH, EncodeField.SOURCE, "vendor 0");
    expectBeginRefused(s, 1, "abcdefghi-sensor.kitchen", "*", "hbeat.app", Reason.VENDOR_LENGTH, EncodeField.SOURCE, "vendor 9");
    expectBeginRefused(s, 1, "acme-.kitchen", "*", "hbeat.app", Reason.DEVICE_LENGTH, EncodeField.SOURCE, "device 0");
    expectBeginRefused(s, 1, "acme-abcdefghi.kitchen", "*", "hbeat.app", Reason.DEVICE_LENGTH, EncodeField.SOURCE, "device 9");
    expectBeginRefused(s, 1, "acme-sensor.", "*", "hbeat.app", Reason.INSTANCE_LENGTH, EncodeField.SOURCE, "instance 0");
    expectBeginRefused(s, 1, "acme-sensor." + rep("i", 17), "*", "hbeat.app", Reason.INSTANCE_LENGTH, EncodeField.SOURCE, "instance 17");
    expectBeginRefused(s, 1, "ac_me-sensor.kitchen", "*", "hbeat.app", Reason.NAME_CHAR, EncodeField.SOURCE, "_ in vendor");
    expectBeginRefused(s, 1, "acme-sen-sor.kitchen", "*", "hbeat.app", Reason.NAME_CHAR, EncodeField.SOURCE, "- in device");
    expectBeginRefused(s, 1, "acme-sensor.kit.chen", "*", "hbeat.app", Reason.NAME_CHAR, EncodeField.SOURCE, ". in instance");
    expectBeginRefused(s, 1, "acme-sensor.kitchen\n", "*", "hbeat.app", Reason.NAME_CHAR, EncodeField.SOURCE, "LF in instance");
    expectBeginRefused(s, 1, "acme-sensor.kit\x00hen", "*", "hbeat.app", Reason.NAME_CHAR, EncodeField.SOURCE, "NUL in instance");
    expectBeginRefused(s, 1, "acm\xe9-sensor.kitchen", "*", "hbeat.app", Reason.NAME_CHAR, EncodeField.SOURCE, "0xe9 in vendor");
  });

  test("target limits and characters (field TARGET)", () => {
    let c = MSGTYPE_CMND;
    expectBeginRefused(c, 1, DEVICE, "", "hbeat.request", Reason.TARGET_FORMAT, EncodeField.TARGET, "empty");
    expectBeginRefused(c, 1, DEVICE, "**", "hbeat.request", Reason.TARGET_FORMAT, EncodeField.TARGET, "**");
    expectBeginRefused(c, 1, DEVICE, "acme-sensor", "hbeat.request", Reason.TARGET_FORMAT, EncodeField.TARGET, "no dot");
    expectBeginRefused(c, 1, DEVICE, "abcdefghi-sensor.kitchen", "hbeat.request", Reason.VENDOR_LENGTH, EncodeField.TARGET, "vendor 9");
    expectBeginRefused(c, 1, DEVICE, "acme-abcdefghi.kitchen", "hbeat.request", Reason.DEVICE_LENGTH, EncodeField.TARGET, "device 9");
    expectBeginRefused(c, 1, DEVICE, "xpl-group.", "hbeat.request", Reason.INSTANCE_LENGTH, EncodeField.TARGET, "group name 0");
    expectBeginRefused(c, 1, DEVICE, "xpl-group." + rep("g", 17), "hbeat.request", Reason.INSTANCE_LENGTH, EncodeField.TARGET, "group name 17");
    expectBeginRefused(c, 1, DEVICE, "xpl-group.lo*nge", "hbeat.request", Reason.NAME_CHAR, EncodeField.TARGET, "* in group");
  });

  test("schema limits and characters (field SCHEMA)", () => {
    let s = MSGTYPE_STAT;
    expectBeginRefused(s, 1, DEVICE, "*", "hbeatapp", Reason.SCHEMA_FORMAT, EncodeField.SCHEMA, "no dot");
    expectBeginRefused(s, 1, DEVICE, "*", "", Reason.SCHEMA_FORMAT, EncodeField.SCHEMA, "empty");
    expectBeginRefused(s, 1, DEVICE, "*", ".app", Reason.CLASS_LENGTH, EncodeField.SCHEMA, "class 0");
    expectBeginRefused(s, 1, DEVICE, "*", "abcdefghi.app", Reason.CLASS_LENGTH, EncodeField.SCHEMA, "class 9");
    expectBeginRefused(s, 1, DEVICE, "*", "hbeat.", Reason.TYPE_LENGTH, EncodeField.SCHEMA, "type 0");
    expectBeginRefused(s, 1, DEVICE, "*", "hbeat.abcdefghi", Reason.TYPE_LENGTH, EncodeField.SCHEMA, "type 9");
    expectBeginRefused(s, 1, DEVICE, "*", "hbeat.app.x", Reason.SCHEMA_CHAR, EncodeField.SCHEMA, "two dots");
    expectBeginRefused(s, 1, DEVICE, "*", "hb_at.app", Reason.SCHEMA_CHAR, EncodeField.SCHEMA, "_ in class");
    expectBeginRefused(s, 1, DEVICE, "*", "hbeat.app\n", Reason.SCHEMA_CHAR, EncodeField.SCHEMA, "LF in type");
  });

  test("keys: 1..16 of a-z0-9- (field KEY)", () => {
    expectPairRefused("", "v", Reason.KEY_LENGTH, EncodeField.KEY, "empty key");
    expectPairRefused(rep("k", 17), "v", Reason.KEY_LENGTH, EncodeField.KEY, "17-byte key");
    expectPairRefused("inter_val", "5", Reason.KEY_CHAR, EncodeField.KEY, "_ in key");
    expectPairRefused("key=", "5", Reason.KEY_CHAR, EncodeField.KEY, "= in key");
    expectPairRefused("ke\ny", "5", Reason.KEY_CHAR, EncodeField.KEY, "LF in key");
    expectPairRefused("k\x80", "5", Reason.KEY_CHAR, EncodeField.KEY, "0x80 in key");
  });

  test("values: 0..128 bytes, no control byte (field VALUE)", () => {
    expectPairRefused("k", rep("v", 129), Reason.VALUE_LENGTH, EncodeField.VALUE, "129-byte value");
    expectPairRefused("k", "a\nb", Reason.VALUE_CHAR, EncodeField.VALUE, "LF in a value");
    expectPairRefused("k", "value\n", Reason.VALUE_CHAR, EncodeField.VALUE, "LF ending a value");
    expectPairRefused("k", "a\rb", Reason.VALUE_CHAR, EncodeField.VALUE, "CR in a value");
    expectPairRefused("k", "a\x00b", Reason.VALUE_CHAR, EncodeField.VALUE, "NUL in a value");
    expectPairRefused("k", "a\tb", Reason.VALUE_CHAR, EncodeField.VALUE, "TAB in a value");
    expectPairRefused("k", "\x7f", Reason.VALUE_CHAR, EncodeField.VALUE, "DEL in a value");
    expectPairRefused("k", "\x1b", Reason.VALUE_CHAR, EncodeField.VALUE, "ESC in a value");
  });

  test("negative lengths are refused, not written", () => {
    finishSomething();
    expect<i32>(begin(MSGTYPE_STAT, 1, DEVICE, "*", "hbeat.app")).toBe(Reason.OK);
    expect<i32>(addPair(TX, -1, TX, 1)).toBe(Reason.KEY_LENGTH);
    expectNoMessage("negative key length");
    expect<i32>(begin(MSGTYPE_STAT, 1, DEVICE, "*", "hbeat.app")).toBe(Reason.OK);
    expect<i32>(pair("k", "v")).toBe(Reason.OK);
    let p = changetype<usize>(String.UTF8.encode("v"));
    expect<i32>(addPair(p, 1, p, -1)).toBe(Reason.VALUE_LENGTH);
    expect<i32>(encodeErrorField()).toBe(EncodeField.VALUE);
    expectNoMessage("negative value length");
    expect<i32>(beginMessage(MSGTYPE_STAT, 1, p, -5, p, 1, p, 1)).toBe(Reason.SOURCE_FORMAT);
    expectNoMessage("negative source length");
  });
});

/** Adds `lines` lines of "pad=" and a 128-byte value (133 bytes each). */
function fill(lines: i32): void {
  for (let i = 0; i < lines; i++) {
    expect<i32>(pair("pad", rep("x", 128))).toBe(Reason.OK, "pad line " + i.toString());
  }
}

describe("encoder: the 1500-byte limit", () => {

  test("a message of exactly 1500 bytes is finished; one byte more is TOO_LONG (field SIZE)", () => {
    let head = header("xpl-stat", DEVICE, "*", "hbeat.basic");
    // head + 10 lines of "pad=" + 128 + LF (133 bytes) + last line + "}\n" = 1500
    let lastValue = 1500 - head.length - 10 * 133 - 2 - 5;
    expect<i32>(lastValue).toBeGreaterThanOrEqual(0, "test setup");
    expect<i32>(lastValue).toBeLessThanOrEqual(128, "test setup");

    expect<i32>(begin(MSGTYPE_STAT, 1, DEVICE, "*", "hbeat.basic")).toBe(Reason.OK);
    fill(10);
    expect<i32>(pair("pad", rep("y", lastValue))).toBe(Reason.OK);
    expect<i32>(endMessage()).toBe(1500);
    expect<i32>(encodedLength()).toBe(1500);
    scrubRx();
    expect<i32>(parse(txToRx())).toBe(Reason.OK);
    expect<i32>(msgBodyCount).toBe(11);

    finishSomething();
    expect<i32>(begin(MSGTYPE_STAT, 1, DEVICE, "*", "hbeat.basic")).toBe(Reason.OK);
    fill(10);
    expect<i32>(pair("pad", rep("y", lastValue + 1))).toBe(Reason.TOO_LONG);
    expect<i32>(encodeErrorField()).toBe(EncodeField.SIZE);
    expectNoMessage("1501 bytes");
  });

  test("adding pairs until the datagram would pass 1500 bytes: TOO_LONG, nothing left in TX", () => {
    finishSomething();
    expect<i32>(begin(MSGTYPE_STAT, 1, DEVICE, "*", "hbeat.basic")).toBe(Reason.OK);
    let r: i32 = Reason.OK;
    let added = 0;
    while (r == Reason.OK && added < 100) {
      r = pair("filter", "xpl-stat.acme.sensor.kitchen.hbeat.app");
      if (r == Reason.OK) added++;
    }
    expect<i32>(r).toBe(Reason.TOO_LONG);
    expect<i32>(encodeErrorField()).toBe(EncodeField.SIZE);
    expect<i32>(added).toBeGreaterThan(20);
    expect<i32>(added).toBeLessThan(50);
    expectNoMessage("over 1500 by pairs");
  });
});

describe("encoder: calls with no open message", () => {
  test("addPair before any beginMessage is BAD_ARGUMENT and writes nothing", () => {
    // a refused begin leaves no open message
    begin(0, 1, DEVICE, "*", "hbeat.app");
    let before = bytesText(TX, 64);
    expect<i32>(pair("interval", "5")).toBe(Reason.BAD_ARGUMENT);
    expect<i32>(encodedLength()).toBe(0);
    expect<string>(bytesText(TX, 64)).toBe(before, "TX bytes untouched");
  });

  test("endMessage with no open message returns 0 and leaves nothing to send", () => {
    begin(0, 1, DEVICE, "*", "hbeat.app");
    expect<i32>(endMessage()).toBe(0);
    expect<i32>(endMessage()).toBe(0);
    expect<i32>(encodedLength()).toBe(0);
  });

  test("a second endMessage after a finished message returns 0 and keeps the message intact", () => {
    begin(MSGTYPE_STAT, 1, DEVICE, "*", "hbeat.end");
    let n = endMessage();
    let golden = header("xpl-stat", DEVICE, "*", "hbeat.end") + "}\n";
    expect<i32>(n).toBe(golden.length);
    expect<i32>(endMessage()).toBe(0);
    expect<i32>(encodedLength()).toBe(n);
    expect<string>(txText()).toBe(golden);
  });

  test("addPair after a finished message is BAD_ARGUMENT and appends nothing to it", () => {
    begin(MSGTYPE_STAT, 1, DEVICE, "*", "hbeat.end");
    let n = endMessage();
    let golden = header("xpl-stat", DEVICE, "*", "hbeat.end") + "}\n";
    expect<i32>(pair("interval", "5")).toBe(Reason.BAD_ARGUMENT);
    expect<i32>(encodeErrorField()).toBe(EncodeField.NONE);
    // never a longer (appended-to) datagram, and the bytes that were there are not overwritten
    expect<i32>(encodedLength()).toBeLessThanOrEqual(n);
    expect<string>(bytesText(TX, n)).toBe(golden);
    expect<i32>(endMessage()).toBe(0);
  });

  test("the encoder works normally after stray calls", () => {
    pair("k", "v");
    endMessage();
    expect<i32>(begin(MSGTYPE_STAT, 1, DEVICE, "*", "hbeat.basic")).toBe(Reason.OK);
    pair("interval", "5");
    expectGolden(header("xpl-stat", DEVICE, "*", "hbeat.basic") + "interval=5\n}\n");
    expect<i32>(msgTargetKind).toBe(TARGET_BROADCAST);
  });
});
