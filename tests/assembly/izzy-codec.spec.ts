// The izzy packet codec: golden vectors for every message type (the spec's HELLO
// included), every malformed case with its own reason, HERE by position.
import { RX, TX } from "../../assembly/izzy/buffers";
import { Reason } from "../../assembly/izzy/abi/numbers";
import {
  decode, msgType, msgLength, msgPayloadLength, hereNameLength, hereField,
  encodePacket, encodeHello, encodeHere, encodeReason, txLength, senderPtr, receiverPtr,
} from "../../assembly/izzy/codec";
import { receive, lastReason, rejectedCount } from "../../assembly/izzy/core";
import { writeHex, rxHex, hexOf, writeAscii, asciiOf } from "./izzy-testkit";

const MOTHER = "00112233445566778899aabbccddeeff";
const CLIENT = "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf";
const HEAD = "10697a7a796d657373616765"; // preamble + "izzymessage"

// The spec's vector: HELLO from Mother 00112233-4455-6677-8899-aabbccddeeff.
const HELLO = "10 69 7a 7a 79 6d 65 73 73 61 67 65 2e" +
  "00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff" +
  "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00" +
  "01";
// HERE from CLIENT to MOTHER: "izzy-1", AVAILABLE, x 100, y -200, z 0, heading 90, speed 5.
const HERE = HEAD + "52" + CLIENT + MOTHER + "02" +
  "697a7a792d31" + "2c01000000" + "2c64000000" + "2c38ffffff" + "2c00000000" + "2c5a000000" + "2c05000000";
// HERE whose integers are full of 0x2c: "a", ESTOP, x 0x2c2c2c2c, y 44, z -212, heading 44, speed -1.
const HERE_2C = HEAD + "4d" + CLIENT + MOTHER + "02" +
  "61" + "2c04000000" + "2c2c2c2c2c" + "2c2c000000" + "2c2cffffff" + "2c2c000000" + "2cffffffff";

const U1: usize = memory.data(16);
const U2: usize = memory.data(16);
const SCRATCH: usize = memory.data(256);
const VALUES: usize = memory.data(24);

function setValues(a: i32, b: i32, c: i32, d: i32, e: i32, f: i32): void {
  store<i32>(VALUES, a); store<i32>(VALUES, b, 4); store<i32>(VALUES, c, 8);
  store<i32>(VALUES, d, 12); store<i32>(VALUES, e, 16); store<i32>(VALUES, f, 20);
}

/** A vector with one byte changed. */
function patched(hex: string, offset: i32, byte: string): i32 {
  let len = rxHex(hex);
  writeHex(RX + <usize>offset, byte);
  return len;
}

beforeAll(() => {
  writeHex(U1, MOTHER);
  writeHex(U2, CLIENT);
});

describe("izzy golden vectors", () => {
  test("the spec's HELLO encodes byte for byte", () => {
    expect(encodeHello(U1)).toBe(46);
    expect(hexOf(TX, txLength)).toBe(HELLO.replaceAll(" ", ""));
  });

  test("the spec's HELLO decodes", () => {
    let len = rxHex(HELLO);
    expect(len).toBe(46);
    expect(decode(len)).toBe(Reason.OK);
    expect(msgType).toBe(1);
    expect(msgLength).toBe(46);
    expect(msgPayloadLength).toBe(0);
    expect(hexOf(senderPtr(), 16)).toBe(MOTHER);
    expect(hexOf(receiverPtr(), 16)).toBe("00000000000000000000000000000000");
  });

  test("HERE encodes and decodes", () => {
    writeAscii(SCRATCH, "izzy-1");
    setValues(1, 100, -200, 0, 90, 5);
    expect(encodeHere(U2, U1, SCRATCH, 6, VALUES)).toBe(82);
    expect(hexOf(TX, txLength)).toBe(HERE);
    let len = rxHex(HERE);
    expect(decode(len)).toBe(Reason.OK);
    expect(msgType).toBe(2);
    expect(msgLength).toBe(82);
    expect(hereNameLength).toBe(6);
    expect(asciiOf(RX + 46, hereNameLength)).toBe("izzy-1");
    expect(hereField(0)).toBe(1);
    expect(hereField(1)).toBe(100);
    expect(hereField(2)).toBe(-200);
    expect(hereField(3)).toBe(0);
    expect(hereField(4)).toBe(90);
    expect(hereField(5)).toBe(5);
    expect(hexOf(senderPtr(), 16)).toBe(CLIENT);
    expect(hexOf(receiverPtr(), 16)).toBe(MOTHER);
  });

  test("HERE whose integers contain 0x2c is decoded by position", () => {
    writeAscii(SCRATCH, "a");
    setValues(4, 0x2c2c2c2c, 44, -212, 44, -1);
    expect(encodeHere(U2, U1, SCRATCH, 1, VALUES)).toBe(77);
    expect(hexOf(TX, txLength)).toBe(HERE_2C);
    expect(decode(rxHex(HERE_2C))).toBe(Reason.OK);
    expect(hereNameLength).toBe(1);
    expect(hereField(0)).toBe(4);
    expect(hereField(1)).toBe(0x2c2c2c2c);
    expect(hereField(2)).toBe(44);
    expect(hereField(3)).toBe(-212);
    expect(hereField(4)).toBe(44);
    expect(hereField(5)).toBe(-1);
  });

  test("HERE with an empty name", () => {
    setValues(1, 0, 0, 0, 0, 0);
    expect(encodeHere(U2, U1, SCRATCH, 0, VALUES)).toBe(76);
    memory.copy(RX, TX, 76);
    expect(decode(76)).toBe(Reason.OK);
    expect(hereNameLength).toBe(0);
    expect(hereField(0)).toBe(1);
  });

  test("every other message type, header and payload verbatim", () => {
    writeHex(SCRATCH, "01026f7363");
    // SETUP_ERROR, MOVING (payload 01 02), FOLLOWING, ESTOP, OSC_COM_ERROR ("osc"), NOT_VALID
    expect(encodePacket(3, U1, U2, SCRATCH, 0)).toBe(46);
    expect(hexOf(TX, txLength)).toBe(HEAD + "2e" + MOTHER + CLIENT + "03");
    expect(encodePacket(4, U1, U2, SCRATCH, 2)).toBe(48);
    expect(hexOf(TX, txLength)).toBe(HEAD + "30" + MOTHER + CLIENT + "04" + "0102");
    expect(encodePacket(5, U1, U2, SCRATCH, 0)).toBe(46);
    expect(hexOf(TX, txLength)).toBe(HEAD + "2e" + MOTHER + CLIENT + "05");
    expect(encodePacket(6, U1, U2, SCRATCH, 0)).toBe(46);
    expect(hexOf(TX, txLength)).toBe(HEAD + "2e" + MOTHER + CLIENT + "06");
    expect(encodePacket(7, U1, U2, SCRATCH + 2, 3)).toBe(49);
    expect(hexOf(TX, txLength)).toBe(HEAD + "31" + MOTHER + CLIENT + "07" + "6f7363");
    expect(encodePacket(8, U1, U2, SCRATCH, 0)).toBe(46);
    expect(hexOf(TX, txLength)).toBe(HEAD + "2e" + MOTHER + CLIENT + "08");
    for (let t = 3; t <= 8; t++) {
      let len = encodePacket(t, U1, U2, SCRATCH, t == 4 ? 2 : 0);
      memory.copy(RX, TX, <usize>len);
      expect(decode(len)).toBe(Reason.OK);
      expect(msgType).toBe(t);
      expect(msgPayloadLength).toBe(len - 46);
    }
  });

  test("a nil receiver is written as 16 zero bytes", () => {
    expect(encodePacket(1, U1, 0, 0, 0)).toBe(46);
    expect(hexOf(TX, 46)).toBe(HELLO.replaceAll(" ", ""));
  });

  test("the longest packet: 255 bytes, payload 209", () => {
    memory.fill(SCRATCH, 0x41, 209);
    expect(encodePacket(4, U1, U2, SCRATCH, 209)).toBe(255);
    expect(load<u8>(TX + 12)).toBe(255);
    memory.copy(RX, TX, 255);
    expect(decode(255)).toBe(Reason.OK);
    expect(msgPayloadLength).toBe(209);
  });
});

describe("izzy malformed packets: one reason each", () => {
  test("TOO_SHORT: empty, and 45 bytes", () => {
    expect(decode(0)).toBe(Reason.TOO_SHORT);
    expect(decode(-1)).toBe(Reason.TOO_SHORT);
    rxHex(HELLO);
    expect(decode(45)).toBe(Reason.TOO_SHORT);
  });

  test("TOO_LONG: 256 bytes and more", () => {
    expect(decode(256)).toBe(Reason.TOO_LONG);
    expect(decode(1500)).toBe(Reason.TOO_LONG);
    expect(decode(0x7fffffff)).toBe(Reason.TOO_LONG);
  });

  test("BAD_PREAMBLE", () => {
    expect(decode(patched(HELLO, 0, "11"))).toBe(Reason.BAD_PREAMBLE);
    expect(decode(patched(HELLO, 0, "00"))).toBe(Reason.BAD_PREAMBLE);
  });

  test("BAD_MESSAGE_ID: first and last id byte, and case", () => {
    expect(decode(patched(HELLO, 1, "49"))).toBe(Reason.BAD_MESSAGE_ID);
    expect(decode(patched(HELLO, 11, "66"))).toBe(Reason.BAD_MESSAGE_ID);
  });

  test("LENGTH_MISMATCH: length byte differs from the datagram", () => {
    expect(decode(patched(HELLO, 12, "2f"))).toBe(Reason.LENGTH_MISMATCH);
    expect(decode(patched(HELLO, 12, "00"))).toBe(Reason.LENGTH_MISMATCH);
    let len = rxHex(HELLO + "00"); // a trailing byte
    expect(decode(len)).toBe(Reason.LENGTH_MISMATCH);
    len = rxHex(HERE);
    expect(decode(len - 1)).toBe(Reason.LENGTH_MISMATCH);
  });

  test("UNKNOWN_TYPE: 0 and 9..255", () => {
    expect(decode(patched(HELLO, 45, "00"))).toBe(Reason.UNKNOWN_TYPE);
    expect(decode(patched(HELLO, 45, "09"))).toBe(Reason.UNKNOWN_TYPE);
    expect(decode(patched(HELLO, 45, "ff"))).toBe(Reason.UNKNOWN_TYPE);
  });

  test("HERE_TOO_SHORT: a HERE without its six fields", () => {
    expect(decode(patched(HELLO, 45, "02"))).toBe(Reason.HERE_TOO_SHORT);
    let len = rxHex(HEAD + "4b" + CLIENT + MOTHER + "02" + "2c01000000".repeat(5) + "2c010000");
    expect(len).toBe(75);
    expect(decode(len)).toBe(Reason.HERE_TOO_SHORT);
  });

  test("HERE_SEPARATOR: a field not begun by a comma", () => {
    expect(decode(patched(HERE, 52, "3b"))).toBe(Reason.HERE_SEPARATOR); // first `,`
    expect(decode(patched(HERE, 77, "00"))).toBe(Reason.HERE_SEPARATOR); // last `,`
  });

  test("HERE_NAME_COMMA: the name holds a comma", () => {
    expect(decode(patched(HERE, 47, "2c"))).toBe(Reason.HERE_NAME_COMMA);
  });

  test("a rejected packet leaves no fields of the previous one", () => {
    expect(decode(rxHex(HERE))).toBe(Reason.OK);
    expect(msgType).toBe(2);
    expect(decode(patched(HERE, 52, "3b"))).toBe(Reason.HERE_SEPARATOR);
    expect(msgType).toBe(0);
    expect(msgLength).toBe(0);
    expect(hereNameLength).toBe(0);
    expect(hereField(1)).toBe(0);
    expect(hereField(6)).toBe(0);
    expect(hereField(-1)).toBe(0);
  });
});

describe("izzy before start", () => {
  test("NOT_STARTED: a datagram before izzy_start is refused and counted", () => {
    expect(receive(rxHex(HELLO), 0, 0x7f000001, 9001)).toBe(-1);
    expect(lastReason).toBe(Reason.NOT_STARTED);
    expect(rejectedCount(Reason.NOT_STARTED)).toBe(1);
  });
});

describe("izzy encoder refusals", () => {
  test("a name with a comma", () => {
    writeAscii(SCRATCH, "a,b");
    setValues(1, 0, 0, 0, 0, 0);
    expect(encodeHere(U2, U1, SCRATCH, 3, VALUES)).toBe(0);
    expect(encodeReason).toBe(Reason.HERE_NAME_COMMA);
    expect(txLength).toBe(0);
  });

  test("a name that does not fit: 179 bytes fit, 180 do not", () => {
    memory.fill(SCRATCH, 0x6e, 200);
    expect(encodeHere(U2, U1, SCRATCH, 179, VALUES)).toBe(255);
    expect(encodeReason).toBe(Reason.OK);
    expect(encodeHere(U2, U1, SCRATCH, 180, VALUES)).toBe(0);
    expect(encodeReason).toBe(Reason.HERE_NAME_LONG);
    expect(encodeHere(U2, U1, SCRATCH, -1, VALUES)).toBe(0);
  });

  test("an unknown type or an oversized payload", () => {
    expect(encodePacket(0, U1, U2, SCRATCH, 0)).toBe(0);
    expect(encodePacket(9, U1, U2, SCRATCH, 0)).toBe(0);
    expect(encodePacket(4, U1, U2, SCRATCH, 210)).toBe(0);
    expect(txLength).toBe(0);
  });
});
