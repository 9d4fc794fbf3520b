// The parser accepts every form shared/spec/xpl.md allows (and the tolerated ones:
// CR before LF, a missing final LF, names in any case) and describes the message
// with exact offsets and lengths into RX.
import { Reason, REASON_COUNT, Field, FIELD_COUNT } from "../../assembly/xpl/abi/numbers";
import { parse } from "../../assembly/xpl/parser";
import {
  MSGTYPE_CMND, MSGTYPE_STAT, MSGTYPE_TRIG, TARGET_BROADCAST, TARGET_DEVICE, TARGET_GROUP,
} from "../../assembly/xpl/limits";
import {
  msgType, msgHop, msgTargetKind, msgBodyCount,
  spanOffset, spanLength, keyOffset, keyLength, valueOffset, valueLength,
} from "../../assembly/xpl/message";
import { Counters, putRx, scrubRx, rxText, rep, lowerText, datagram, statWith, sizedDatagram, SRC } from "./support";

function parseText(s: string): i32 {
  scrubRx();
  return parse(putRx(s));
}

function expectOk(s: string, label: string = ""): void {
  expect<i32>(parseText(s)).toBe(Reason.OK, label);
}

/** A field's span: its offset, its length, and the bytes it covers. */
function expectSpan(field: i32, offset: i32, text: string, label: string = ""): void {
  expect<i32>(spanOffset(field)).toBe(offset, label + " offset of field " + field.toString());
  expect<i32>(spanLength(field)).toBe(text.length, label + " length of field " + field.toString());
  expect<string>(rxText(spanOffset(field), spanLength(field))).toBe(text, label + " text of field " + field.toString());
}

/** A field's span, found by its text: the text must sit at the first place it occurs from `from`. */
function expectSpanAt(s: string, field: i32, text: string, from: i32 = 0): void {
  let at = s.indexOf(text, from);
  expect<i32>(at).toBeGreaterThanOrEqual(0, "test setup: " + text + " not in datagram");
  expectSpan(field, at, text);
}

/** A body line: key and value offsets, lengths and bytes. */
function expectLine(index: i32, keyAt: i32, key: string, valueAt: i32, value: string): void {
  let l = "line " + index.toString();
  expect<i32>(keyOffset(index)).toBe(keyAt, l + " key offset");
  expect<i32>(keyLength(index)).toBe(key.length, l + " key length");
  expect<i32>(valueOffset(index)).toBe(valueAt, l + " value offset");
  expect<i32>(valueLength(index)).toBe(value.length, l + " value length");
  expect<string>(rxText(keyOffset(index), keyLength(index))).toBe(key, l + " key");
  expect<string>(rxText(valueOffset(index), valueLength(index))).toBe(value, l + " value");
}

/** A body line, checked by its bytes only (and the value right after `=`). */
function expectLineText(index: i32, key: string, value: string): void {
  let l = "line " + index.toString();
  expect<string>(rxText(keyOffset(index), keyLength(index))).toBe(key, l + " key");
  expect<string>(rxText(valueOffset(index), valueLength(index))).toBe(value, l + " value");
  expect<i32>(valueOffset(index)).toBe(keyOffset(index) + keyLength(index) + 1, l + " value follows `=`");
}

// The example of the spec, byte for byte.
const HBEAT_APP =
  "xpl-stat\n{\nhop=1\nsource=acme-sensor.kitchen\ntarget=*\n}\nhbeat.app\n{\n" +
  "interval=5\nport=50123\nremote-ip=192.168.1.20\nversion=1.0\n}\n";

function crlf(s: string): string {
  return s.replaceAll("\n", "\r\n");
}

describe("parser: the spec's hbeat.app example", () => {
  test("is accepted, type xpl-stat, hop 1, broadcast, four body lines", () => {
    expectOk(HBEAT_APP);
    expect<i32>(msgType).toBe(MSGTYPE_STAT);
    expect<i32>(msgHop).toBe(1);
    expect<i32>(msgTargetKind).toBe(TARGET_BROADCAST);
    expect<i32>(msgBodyCount).toBe(4);
  });

  test("every header and schema span is exact (offsets from RX)", () => {
    expectOk(HBEAT_APP);
    expectSpan(Field.MSGTYPE, 0, "xpl-stat");
    expectSpan(Field.SOURCE, 24, "acme-sensor.kitchen");
    expectSpan(Field.SOURCE_VENDOR, 24, "acme");
    expectSpan(Field.SOURCE_DEVICE, 29, "sensor");
    expectSpan(Field.SOURCE_INSTANCE, 36, "kitchen");
    expectSpan(Field.TARGET, 51, "*");
    expectSpan(Field.SCHEMA, 55, "hbeat.app");
    expectSpan(Field.SCHEMA_CLASS, 55, "hbeat");
    expectSpan(Field.SCHEMA_TYPE, 61, "app");
  });

  test("a broadcast target has empty vendor, device and instance spans", () => {
    expectOk(HBEAT_APP);
    expect<i32>(spanLength(Field.TARGET_VENDOR)).toBe(0);
    expect<i32>(spanLength(Field.TARGET_DEVICE)).toBe(0);
    expect<i32>(spanLength(Field.TARGET_INSTANCE)).toBe(0);
    expect<i32>(spanOffset(Field.TARGET_VENDOR)).toBe(0);
  });

  test("every body line's key and value are exact", () => {
    expectOk(HBEAT_APP);
    expectLine(0, 67, "interval", 76, "5");
    expectLine(1, 78, "port", 83, "50123");
    expectLine(2, 89, "remote-ip", 99, "192.168.1.20");
    expectLine(3, 112, "version", 120, "1.0");
  });

  test("indexes and fields out of range read as 0", () => {
    expectOk(HBEAT_APP);
    expect<i32>(keyOffset(4)).toBe(0);
    expect<i32>(keyLength(4)).toBe(0);
    expect<i32>(valueOffset(-1)).toBe(0);
    expect<i32>(valueLength(1000)).toBe(0);
    expect<i32>(spanOffset(FIELD_COUNT)).toBe(0);
    expect<i32>(spanLength(-1)).toBe(0);
  });

  test("an acceptance counts once in accepted() and in no rejection counter", () => {
    let before = Counters.take();
    expectOk(HBEAT_APP);
    let after = Counters.take();
    expect<u32>(after.accepted - before.accepted).toBe(1);
    for (let r = 0; r < REASON_COUNT; r++) expect<u32>(after.rejected[r]).toBe(before.rejected[r]);
  });
});

describe("parser: tolerated line endings", () => {
  test("CR LF on every line: accepted, spans and values exclude the CR", () => {
    let s = crlf(HBEAT_APP);
    expectOk(s);
    expect<i32>(msgType).toBe(MSGTYPE_STAT);
    expect<i32>(msgBodyCount).toBe(4);
    expectSpan(Field.MSGTYPE, 0, "xpl-stat");
    expectSpan(Field.SOURCE, 27, "acme-sensor.kitchen");
    expectSpan(Field.SOURCE_VENDOR, 27, "acme");
    expectSpan(Field.SOURCE_DEVICE, 32, "sensor");
    expectSpan(Field.SOURCE_INSTANCE, 39, "kitchen");
    expectSpan(Field.TARGET, 55, "*");
    expectSpan(Field.SCHEMA, 61, "hbeat.app");
    expectSpan(Field.SCHEMA_CLASS, 61, "hbeat");
    expectSpan(Field.SCHEMA_TYPE, 67, "app");
    expectLine(0, 75, "interval", 84, "5");
    expectLine(1, 87, "port", 92, "50123");
    expectLine(2, 99, "remote-ip", 109, "192.168.1.20");
    expectLine(3, 123, "version", 131, "1.0");
  });

  test("CR LF on some lines only: accepted", () => {
    let s = "xpl-stat\r\n{\nhop=1\r\nsource=acme-sensor.kitchen\ntarget=*\r\n}\nhbeat.app\r\n{\r\ninterval=5\nversion=1.0\r\n}\n";
    expectOk(s);
    expectLineText(0, "interval", "5");
    expectLineText(1, "version", "1.0");
  });

  test("missing final LF after `}`: accepted", () => {
    let s = HBEAT_APP.slice(0, HBEAT_APP.length - 1);
    expect<string>(s.slice(s.length - 1)).toBe("}");
    expectOk(s);
    expect<i32>(msgBodyCount).toBe(4);
    expectLine(3, 112, "version", 120, "1.0");
  });

  test("CR LF everywhere and no line end after the final `}`: accepted", () => {
    let s = crlf(HBEAT_APP);
    s = s.slice(0, s.length - 2);
    expectOk(s);
    expectLine(3, 123, "version", 131, "1.0");
  });

  test("empty body with a missing final LF: accepted", () => {
    expectOk("xpl-stat\n{\nhop=1\nsource=acme-sensor.kitchen\ntarget=*\n}\nhbeat.end\n{\n}");
    expect<i32>(msgBodyCount).toBe(0);
    expectSpan(Field.SCHEMA_TYPE, 61, "end");
  });
});

describe("parser: names compare case-insensitively", () => {
  test("message type in upper and mixed case", () => {
    expectOk(datagram("XPL-STAT", "1", SRC, "*", "hbeat.app", "interval=5\n"));
    expect<i32>(msgType).toBe(MSGTYPE_STAT);
    expectSpan(Field.MSGTYPE, 0, "XPL-STAT");
    expectOk(datagram("Xpl-CmNd", "1", SRC, "*", "hbeat.request", "command=request\n"));
    expect<i32>(msgType).toBe(MSGTYPE_CMND);
    expectOk(datagram("xpl-TRIG", "1", SRC, "*", "sensor.basic", "current=21\n"));
    expect<i32>(msgType).toBe(MSGTYPE_TRIG);
  });

  test("header keys, names, schema and body keys in upper case; the view shows the bytes received", () => {
    let s = "XPL-STAT\n{\nHOP=2\nSOURCE=ACME-SENSOR.KITCHEN\nTARGET=XPL-GROUP.LOUNGE\n}\nHBEAT.APP\n{\nINTERVAL=5\nRemote-IP=10.0.0.1\n}\n";
    expectOk(s);
    expect<i32>(msgHop).toBe(2);
    expect<i32>(msgTargetKind).toBe(TARGET_GROUP);
    expectSpanAt(s, Field.SOURCE, "ACME-SENSOR.KITCHEN");
    expectSpanAt(s, Field.SOURCE_VENDOR, "ACME");
    expectSpanAt(s, Field.SOURCE_DEVICE, "SENSOR");
    expectSpanAt(s, Field.SOURCE_INSTANCE, "KITCHEN");
    expectSpanAt(s, Field.TARGET, "XPL-GROUP.LOUNGE");
    expectSpanAt(s, Field.TARGET_VENDOR, "XPL", s.indexOf("TARGET="));
    expectSpanAt(s, Field.TARGET_DEVICE, "GROUP");
    expectSpanAt(s, Field.TARGET_INSTANCE, "LOUNGE");
    expectSpanAt(s, Field.SCHEMA, "HBEAT.APP");
    expectLineText(0, "INTERVAL", "5");
    expectLineText(1, "Remote-IP", "10.0.0.1");
  });

  test("an xPLLib instance id with upper case (7F000001mwqmj5tt)", () => {
    let s = datagram("xpl-stat", "1", "xpl-hub.7F000001mwqmj5tt", "*", "hbeat.app", "interval=5\n");
    expectOk(s);
    let src = s.indexOf("source=");
    expectSpanAt(s, Field.SOURCE_VENDOR, "xpl", src);
    expectSpanAt(s, Field.SOURCE_DEVICE, "hub", src);
    expectSpanAt(s, Field.SOURCE_INSTANCE, "7F000001mwqmj5tt");
  });
});

describe("parser: target kinds", () => {
  test("`*` is TARGET_BROADCAST", () => {
    expectOk(datagram("xpl-cmnd", "1", SRC, "*", "hbeat.request", "command=request\n"));
    expect<i32>(msgTargetKind).toBe(TARGET_BROADCAST);
  });

  test("vendor-device.instance is TARGET_DEVICE, with its three parts", () => {
    let s = datagram("xpl-cmnd", "1", "domogik-manager.host1", "acme-sensor.kitchen", "config.list", "command=request\n");
    expectOk(s);
    expect<i32>(msgTargetKind).toBe(TARGET_DEVICE);
    let t = s.indexOf("target=") + 7;
    expectSpan(Field.TARGET, t, "acme-sensor.kitchen");
    expectSpan(Field.TARGET_VENDOR, t, "acme");
    expectSpan(Field.TARGET_DEVICE, t + 5, "sensor");
    expectSpan(Field.TARGET_INSTANCE, t + 12, "kitchen");
    expectSpan(Field.SOURCE_VENDOR, s.indexOf("source=") + 7, "domogik");
  });

  test("xpl-group.NAME is TARGET_GROUP; NAME is the instance span", () => {
    let s = datagram("xpl-cmnd", "1", SRC, "xpl-group.lounge", "lighting.basic", "command=on\n");
    expectOk(s);
    expect<i32>(msgTargetKind).toBe(TARGET_GROUP);
    let t = s.indexOf("target=") + 7;
    expectSpan(Field.TARGET, t, "xpl-group.lounge");
    expectSpan(Field.TARGET_VENDOR, t, "xpl");
    expectSpan(Field.TARGET_DEVICE, t + 4, "group");
    expectSpan(Field.TARGET_INSTANCE, t + 10, "lounge");
  });

  test("xpl-group in any case is TARGET_GROUP; group names of 1 and 16, with dashes", () => {
    expectOk(datagram("xpl-cmnd", "1", SRC, "Xpl-Group.Lounge", "lighting.basic", ""));
    expect<i32>(msgTargetKind).toBe(TARGET_GROUP);
    expectOk(datagram("xpl-cmnd", "1", SRC, "xpl-group.g", "lighting.basic", ""));
    expect<i32>(msgTargetKind).toBe(TARGET_GROUP);
    expectOk(datagram("xpl-cmnd", "1", SRC, "xpl-group.first-floor-hall", "lighting.basic", ""));
    expect<i32>(msgTargetKind).toBe(TARGET_GROUP);
    expect<i32>(spanLength(Field.TARGET_INSTANCE)).toBe(16);
  });

  test("names that only look like a group are devices", () => {
    expectOk(datagram("xpl-cmnd", "1", SRC, "xpl-groups.lounge", "lighting.basic", ""));
    expect<i32>(msgTargetKind).toBe(TARGET_DEVICE);
    expectOk(datagram("xpl-cmnd", "1", SRC, "xpl-grou.lounge", "lighting.basic", ""));
    expect<i32>(msgTargetKind).toBe(TARGET_DEVICE);
    expectOk(datagram("xpl-cmnd", "1", SRC, "xpx-group.lounge", "lighting.basic", ""));
    expect<i32>(msgTargetKind).toBe(TARGET_DEVICE);
    expectOk(datagram("xpl-cmnd", "1", SRC, "xp-lgroup.lounge", "lighting.basic", ""));
    expect<i32>(msgTargetKind).toBe(TARGET_DEVICE);
  });
});

describe("parser: message types, hops and name limits", () => {
  test("each message type and each hop 1..9", () => {
    let types: string[] = ["xpl-cmnd", "xpl-stat", "xpl-trig"];
    for (let t = 0; t < 3; t++) {
      for (let h = 1; h <= 9; h++) {
        expectOk(datagram(types[t], h.toString(), SRC, "*", "hbeat.basic", "interval=5\n"), types[t] + " hop " + h.toString());
        expect<i32>(msgType).toBe(t + 1);
        expect<i32>(msgHop).toBe(h);
      }
    }
  });

  test("vendor 8, device 8, instance 16, class 8, type 8, key 16: the longest names pass", () => {
    let s = datagram("xpl-stat", "1", "abcdefgh-12345678.instance-1234567", "vendor00-device00.0123456789abcdef",
      "class-12.type-123", rep("k", 16) + "=v\n");
    expectOk(s);
    expectSpanAt(s, Field.SOURCE_VENDOR, "abcdefgh");
    expectSpanAt(s, Field.SOURCE_DEVICE, "12345678");
    expectSpanAt(s, Field.SOURCE_INSTANCE, "instance-1234567");
    expectSpanAt(s, Field.TARGET_VENDOR, "vendor00");
    expectSpanAt(s, Field.TARGET_DEVICE, "device00");
    expectSpanAt(s, Field.TARGET_INSTANCE, "0123456789abcdef");
    expectSpanAt(s, Field.SCHEMA_CLASS, "class-12");
    expectSpanAt(s, Field.SCHEMA_TYPE, "type-123");
    expectLineText(0, rep("k", 16), "v");
  });

  test("one-byte names pass everywhere", () => {
    let s = datagram("xpl-trig", "9", "a-b.c", "d-e.f", "g.h", "i=j\n");
    expectOk(s);
    expectSpanAt(s, Field.SOURCE, "a-b.c");
    expectSpanAt(s, Field.TARGET, "d-e.f");
    expectSpanAt(s, Field.SCHEMA_CLASS, "g", s.indexOf("}") + 2);
    expectSpanAt(s, Field.SCHEMA_TYPE, "h", s.indexOf("}") + 2);
    expectLineText(0, "i", "j");
  });

  test("an instance and a schema may start or end with `-`; a key may be `-`", () => {
    expectOk(datagram("xpl-stat", "1", "acme-sensor.-x-", "*", "-.-", "-=-\n"));
    expectLineText(0, "-", "-");
  });
});

describe("parser: body lines", () => {
  test("an empty body gives no lines", () => {
    expectOk(statWith(""));
    expect<i32>(msgBodyCount).toBe(0);
  });

  test("repeated keys are all kept, in order", () => {
    let s = datagram("xpl-cmnd", "1", "domogik-manager.host1", SRC, "config.response",
      "newconf=lounge\ninterval=2\ngroup=xpl-group.drapes\ngroup=xpl-group.lounge\ngroup=xpl-group.all\nfilter=xpl-cmnd.*.*.*.*.*\nfilter=xpl-stat.acme.*.*.hbeat.*\n");
    expectOk(s);
    expect<i32>(msgBodyCount).toBe(7);
    expectLineText(0, "newconf", "lounge");
    expectLineText(1, "interval", "2");
    expectLineText(2, "group", "xpl-group.drapes");
    expectLineText(3, "group", "xpl-group.lounge");
    expectLineText(4, "group", "xpl-group.all");
    expectLineText(5, "filter", "xpl-cmnd.*.*.*.*.*");
    expectLineText(6, "filter", "xpl-stat.acme.*.*.hbeat.*");
    // offsets strictly increase
    for (let i = 1; i < 7; i++) expect<i32>(keyOffset(i)).toBeGreaterThan(keyOffset(i - 1));
  });

  test("empty values (one clears a list): length 0, right after `=`", () => {
    let s = statWith("group=\nfilter=\r\nversion=1.0\n");
    expectOk(s);
    expect<i32>(msgBodyCount).toBe(3);
    let g = s.indexOf("group=");
    expectLine(0, g, "group", g + 6, "");
    let f = s.indexOf("filter=");
    expectLine(1, f, "filter", f + 7, "");
    let v = s.indexOf("version=");
    expectLine(2, v, "version", v + 8, "1.0");
  });

  test("a value of exactly 128 bytes, with LF and with CR LF", () => {
    let value = rep("v", 128);
    let s = statWith("k=" + value + "\n");
    expectOk(s);
    expectLine(0, s.indexOf("k="), "k", s.indexOf("k=") + 2, value);
    s = statWith("k=" + value + "\r\n");
    expectOk(s);
    expectLine(0, s.indexOf("k="), "k", s.indexOf("k=") + 2, value);
  });

  test("bytes 0x80..0xff in values (UTF-8): all 128 of them in one value", () => {
    let value = "";
    for (let b = 0x80; b <= 0xff; b++) value += String.fromCharCode(b);
    expect<i32>(value.length).toBe(128);
    let s = statWith("name=" + value + "\nutf8=caf\xc3\xa9\n");
    expectOk(s);
    expectLineText(0, "name", value);
    expectLineText(1, "utf8", "caf\xc3\xa9");
  });

  test("every printable byte 32..126 in one value, `=`, `{` and `}` included", () => {
    let value = "";
    for (let b = 32; b <= 126; b++) value += String.fromCharCode(b);
    let s = statWith("all=" + value + "\n");
    expectOk(s);
    expectLineText(0, "all", value);
  });

  test("a value may contain `=`: the first `=` ends the key", () => {
    expectOk(statWith("expr=a=b=c\n"));
    expectLineText(0, "expr", "a=b=c");
  });

  test("a value may be `}` or start with spaces", () => {
    expectOk(statWith("brace=}\nspaced=  two leading\n"));
    expectLineText(0, "brace", "}");
    expectLineText(1, "spaced", "  two leading");
  });

  test("a second parse replaces the view of the first", () => {
    expectOk(HBEAT_APP);
    expect<i32>(msgBodyCount).toBe(4);
    let s = datagram("xpl-trig", "5", "x-y.z", "a-b.c", "s.t", "k=v\n");
    expectOk(s);
    expect<i32>(msgType).toBe(MSGTYPE_TRIG);
    expect<i32>(msgHop).toBe(5);
    expect<i32>(msgTargetKind).toBe(TARGET_DEVICE);
    expect<i32>(msgBodyCount).toBe(1);
    expectSpanAt(s, Field.SOURCE, "x-y.z");
    expect<i32>(keyOffset(1)).toBe(0);
  });
});

describe("parser: size", () => {
  test("a datagram of exactly 1500 bytes is accepted", () => {
    let s = sizedDatagram(1500);
    expect<i32>(s.length).toBe(1500);
    expectOk(s);
    expect<i32>(msgType).toBe(MSGTYPE_STAT);
    // interval plus the pad lines
    expect<i32>(msgBodyCount).toBeGreaterThan(10);
    let last = msgBodyCount - 1;
    expect<i32>(valueOffset(last) + valueLength(last)).toBe(1500 - 3); // then LF, `}`, LF
  });

  test("a 1500-byte datagram of the most body lines (`k=` lines) is accepted, every line seen", () => {
    let head = datagram("xpl-stat", "1", "a-b.c", "*", "a.b", "");
    head = head.slice(0, head.length - 2); // without the final "}\n"
    let lines = (1500 - head.length - 2) / 3;
    let rest = 1500 - head.length - 2 - lines * 3;
    let body = rep("k=\n", lines - 1) + "k=" + rep("v", rest) + "\n";
    let s = head + body + "}\n";
    expect<i32>(s.length).toBe(1500);
    expectOk(s);
    expect<i32>(msgBodyCount).toBe(lines);
    expectLineText(lines - 1, "k", rep("v", rest));
  });

  test("every length from the smallest message to 1500 is accepted", () => {
    for (let n = 82; n <= 1500; n++) {
      expectOk(sizedDatagram(n), "length " + n.toString());
    }
  });

  test("the view shows names as received, in mixed case; they compare equal in lower case", () => {
    let s = datagram("xpl-stat", "1", "AcMe-SeNsOr.KiTcHeN", "*", "hbeat.app", "interval=5\n");
    expectOk(s);
    expect<string>(lowerText(rxText(spanOffset(Field.SOURCE), spanLength(Field.SOURCE)))).toBe("acme-sensor.kitchen");
  });
});
