// The Mother role on virtual time: HELLO every interval, the client table from
// HERE replies, MISSING after the timeout, receiver checks, a full table, clock
// jumps and the 32-bit wrap. The role's effects are read as effects.ts records them; no host.
import { RX, TX } from "../../assembly/izzy/buffers";
import { Reason } from "../../assembly/izzy/abi/numbers";
import { encodeHere, encodePacket, encodeHello } from "../../assembly/izzy/codec";
import { OWN_UUID, setUuid, setIntervalMs, setTimeoutMs } from "../../assembly/izzy/config";
import { start, tick, receive, lastReason, rejectedCount, acceptedCount } from "../../assembly/izzy/core";
import {
  tableCount, clientState, clientUuidPtr, clientIp, clientPort, clientLast, clientField,
  clientNamePtr, clientNameLength,
} from "../../assembly/izzy/mother";
import { writeHex, hexOf, writeAscii, asciiOf, takeSent, takeEvents, resetCounters, resetConfig } from "./izzy-testkit";

const MOTHER = "00112233445566778899aabbccddeeff";
const CLIENT = "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf";
const HELLO = "10697a7a796d6573736167652e" + MOTHER + "00000000000000000000000000000000" + "01";
const IP1: u32 = 0x7f000002; // 127.0.0.2
const IP2: u32 = 0x7f000003;

const M: usize = memory.data(16);
const C: usize = memory.data(16);
const OTHER: usize = memory.data(16);
const NAME: usize = memory.data(64);
const VALUES: usize = memory.data<i32>([1, 10, 20, 30, 40, 50]);

/** A HERE from `sender` to `receiver` put in RX; its length. */
function hereInRx(sender: usize, receiver: usize, name: string): i32 {
  let nameLen = writeAscii(NAME, name);
  let len = encodeHere(sender, receiver, NAME, nameLen, VALUES);
  memory.copy(RX, TX, <usize>len);
  return len;
}

/** A client UUID numbered n. */
function clientUuid(n: i32): usize {
  writeHex(OTHER, CLIENT);
  store<u8>(OTHER + 15, <u8>n);
  return OTHER;
}

function startMother(now: u32): i32 {
  resetConfig();
  resetCounters();
  setUuid(M);
  let next = start(1, now, 0);
  return next;
}

beforeAll(() => {
  writeHex(M, MOTHER);
  writeHex(C, CLIENT);
});

describe("izzy Mother: HELLO", () => {
  test("start sends the spec's HELLO at once, to broadcast:9001, then every 1000 ms", () => {
    expect(startMother(5000)).toBe(1000);
    expect(takeSent()).toBe("ffffffff:9001 " + HELLO);
    expect(takeEvents()).toBe("");
    expect(tick(5999)).toBe(1);
    expect(takeSent()).toBe("");
    expect(tick(6000)).toBe(1000);
    expect(takeSent()).toBe("ffffffff:9001 " + HELLO);
    expect(tick(6500)).toBe(500);
    expect(tick(7003)).toBe(997); // a late tick does not shift the schedule
    expect(takeSent()).toBe("ffffffff:9001 " + HELLO);
  });

  test("the interval is configurable", () => {
    resetConfig();
    expect(setIntervalMs(0)).toBe(false);
    expect(setIntervalMs(250)).toBe(true);
    start(1, 0, 0);
    takeSent();
    expect(tick(249)).toBe(1);
    expect(tick(250)).toBe(250);
    expect(takeSent()).not.toBe("");
  });

  test("a clock that jumps ahead gives one HELLO, not a burst", () => {
    startMother(0);
    takeSent();
    expect(tick(3600000)).toBe(1000);
    expect(takeSent()).not.toBe("");
    expect(tick(3600001)).toBe(999);
    expect(takeSent()).toBe("");
  });

  test("a clock that jumps back does not silence HELLO", () => {
    startMother(100000);
    takeSent();
    expect(tick(50000)).toBe(1000); // pulled in: at most one interval away
    expect(tick(51000)).toBe(1000);
    expect(takeSent()).not.toBe("");
  });

  test("HELLO keeps its rhythm across the 32-bit wrap", () => {
    startMother(0xfffffc18); // 1000 ms before the wrap
    takeSent();
    expect(tick(0xffffffff)).toBe(1);
    expect(takeSent()).toBe("");
    expect(tick(0)).toBe(1000);
    expect(takeSent()).toBe("ffffffff:9001 " + HELLO);
    expect(tick(999)).toBe(1);
    expect(tick(1000)).toBe(1000);
    expect(takeSent()).not.toBe("");
  });
});

describe("izzy Mother: client table", () => {
  test("HERE adds a client UNVERIFIED; a second from the same address makes it CONNECTED", () => {
    startMother(0);
    takeSent();
    expect(receive(hereInRx(C, M, "izzy-1"), 100, IP1, 40001)).toBe(900);
    expect(lastReason).toBe(Reason.OK);
    expect(takeEvents()).toBe("6:0");
    expect(tableCount).toBe(1);
    expect(clientState(0)).toBe(3);
    expect(hexOf(clientUuidPtr(0), 16)).toBe(CLIENT);
    expect(clientIp(0)).toBe(IP1);
    expect(clientPort(0)).toBe(40001);
    expect(clientLast(0)).toBe(100);
    expect(asciiOf(clientNamePtr(0), clientNameLength(0))).toBe("izzy-1");
    for (let f = 0; f < 6; f++) expect(clientField(0, f)).toBe(f == 0 ? 1 : f * 10);
    receive(hereInRx(C, M, "izzy-1"), 1100, IP1, 40001);
    expect(takeEvents()).toBe("7:0");
    expect(clientState(0)).toBe(1);
    expect(clientLast(0)).toBe(1100);
    expect(acceptedCount()).toBe(2);
    // Out of range reads are 0.
    expect(clientState(1)).toBe(0);
    expect(clientUuidPtr(-1)).toBe(0);
    expect(clientField(0, 6)).toBe(0);
  });

  test("a client unheard for 3 intervals becomes MISSING exactly then, and comes back", () => {
    startMother(0);
    receive(hereInRx(C, M, "a"), 100, IP1, 40001);
    receive(hereInRx(C, M, "a"), 1100, IP1, 40001);
    takeEvents();
    expect(tick(4099)).toBe(1); // HELLOs were missed: one now, the next at 5099; client deadline 4100
    expect(clientState(0)).toBe(1);
    expect(tick(4100)).toBe(999);
    expect(clientState(0)).toBe(2);
    expect(takeEvents()).toBe("8:0");
    receive(hereInRx(C, M, "a"), 6000, IP1, 40001);
    expect(clientState(0)).toBe(1);
    expect(takeEvents()).toBe("9:0");
  });

  test("the client timeout is configurable", () => {
    resetConfig();
    resetCounters();
    setUuid(M);
    setTimeoutMs(1500);
    start(1, 0, 0);
    receive(hereInRx(C, M, "a"), 0, IP1, 1);
    expect(tick(1499)).toBe(1);
    expect(tick(1500)).toBe(500);
    expect(clientState(0)).toBe(2);
  });

  test("a HERE from a new address makes the client UNVERIFIED again", () => {
    startMother(0);
    receive(hereInRx(C, M, "a"), 10, IP1, 40001);
    receive(hereInRx(C, M, "a"), 20, IP1, 40001);
    expect(clientState(0)).toBe(1);
    receive(hereInRx(C, M, "a"), 30, IP2, 40001);
    expect(clientState(0)).toBe(3);
    expect(clientIp(0)).toBe(IP2);
  });

  test("a HERE whose receiver is not our UUID is ignored and counted", () => {
    startMother(0);
    receive(hereInRx(C, C, "a"), 10, IP1, 1);
    expect(lastReason).toBe(Reason.NOT_FOR_ME);
    receive(hereInRx(OTHER, 0, "a"), 10, IP1, 1); // nil receiver: not ours either
    expect(lastReason).toBe(Reason.NOT_FOR_ME);
    expect(rejectedCount(Reason.NOT_FOR_ME)).toBe(2);
    expect(tableCount).toBe(0);
    expect(takeEvents()).toBe("");
  });

  test("other refusals: nil sender, own sender, HELLO at Mother, long name, malformed", () => {
    startMother(0);
    memory.fill(OTHER, 0, 16);
    receive(hereInRx(OTHER, M, "a"), 10, IP1, 1);
    expect(lastReason).toBe(Reason.NIL_SENDER);
    receive(hereInRx(M, M, "a"), 10, IP1, 1);
    expect(lastReason).toBe(Reason.FROM_SELF);
    let len = encodeHello(C);
    memory.copy(RX, TX, <usize>len);
    receive(len, 10, IP1, 1);
    expect(lastReason).toBe(Reason.UNEXPECTED_TYPE);
    receive(hereInRx(C, M, "123456789012345678901234567890123"), 10, IP1, 1); // 33 bytes
    expect(lastReason).toBe(Reason.HERE_NAME_LONG);
    receive(hereInRx(C, M, "12345678901234567890123456789012"), 10, IP1, 1); // 32 fit
    expect(lastReason).toBe(Reason.OK);
    expect(clientNameLength(0)).toBe(32);
    receive(3, 10, IP1, 1);
    expect(lastReason).toBe(Reason.TOO_SHORT);
    expect(rejectedCount(Reason.TOO_SHORT)).toBe(1);
    expect(tableCount).toBe(1);
  });

  test("16 clients fill the table; a 17th is refused until one is MISSING, then reuses its slot", () => {
    startMother(0);
    for (let i = 0; i < 16; i++) {
      receive(hereInRx(clientUuid(i), M, "c"), 10, IP1, 1000 + i);
      expect(lastReason).toBe(Reason.OK);
    }
    expect(tableCount).toBe(16);
    takeEvents();
    receive(hereInRx(clientUuid(16), M, "c"), 20, IP1, 2000);
    expect(lastReason).toBe(Reason.TABLE_FULL);
    expect(rejectedCount(Reason.TABLE_FULL)).toBe(1);
    // All but client 5 answer again; client 5 goes MISSING.
    for (let i = 0; i < 16; i++) if (i != 5) receive(hereInRx(clientUuid(i), M, "c"), 2000, IP1, 1000 + i);
    takeEvents();
    tick(3010);
    expect(clientState(5)).toBe(2);
    expect(takeEvents()).toBe("8:5");
    receive(hereInRx(clientUuid(16), M, "new"), 3020, IP1, 2000);
    expect(lastReason).toBe(Reason.OK);
    expect(takeEvents()).toBe("6:5");
    expect(clientState(5)).toBe(3);
    expect(clientPort(5)).toBe(2000);
    expect(load<u8>(clientUuidPtr(5) + 15)).toBe(16);
    expect(tableCount).toBe(16);
  });

  test("the MISSING slot reused is the one silent the longest, also 2^32 ms later (silence does not wrap)", () => {
    startMother(0);
    expect(setTimeoutMs(3_600_000)).toBe(true);
    for (let i = 0; i < 16; i++) receive(hereInRx(clientUuid(i), M, "c"), 10, IP1, 1000 + i);
    // Client 5 is silent from the start; the others answer every 30 minutes for 50 days,
    // except client 9, silent for the last 10 hours. 2^32 ms later, client 5's silence
    // must not read as 7 hours (shorter than client 9's).
    let now: u32 = 10;
    for (let k = 0; k < 2400; k++) {
      now += 1_800_000;
      tick(now);
      for (let i = 0; i < 16; i++) if (i != 5 && (i != 9 || k < 2380)) receive(hereInRx(clientUuid(i), M, "c"), now, IP1, 1000 + i);
      takeSent();
      takeEvents();
    }
    expect(clientState(5)).toBe(2);
    expect(clientState(9)).toBe(2);
    receive(hereInRx(clientUuid(16), M, "new"), now, IP1, 2000);
    expect(lastReason).toBe(Reason.OK);
    expect(load<u8>(clientUuidPtr(5) + 15)).toBe(16);
    expect(load<u8>(clientUuidPtr(9) + 15)).toBe(9);
  });

  test("a client's timeout is wrap-safe", () => {
    startMother(0xfffff000);
    receive(hereInRx(C, M, "a"), 0xfffffe00, IP1, 1); // 512 ms before the wrap
    expect(tick(0x000009b7)).toBeGreaterThanOrEqual(0); // deadline 0xfffffe00 + 3000 = 0x9b8
    expect(clientState(0)).toBe(3);
    tick(0x000009b8);
    expect(clientState(0)).toBe(2);
  });

  test("a datagram before start is refused", () => {
    // Role is already set by earlier tests in this file; start(0) is refused and leaves it.
    expect(start(0, 0, 0)).toBe(-1);
    expect(start(3, 0, 0)).toBe(-1);
  });

  test("without a UUID set, start derives a version-4 UUID from the seed", () => {
    memory.fill(OWN_UUID, 0, 16);
    start(1, 0, 12345);
    expect(load<u8>(OWN_UUID + 6) >> 4).toBe(4);
    expect(load<u8>(OWN_UUID + 8) >> 6).toBe(2);
    let first = hexOf(OWN_UUID, 16);
    memory.fill(OWN_UUID, 0, 16);
    start(1, 0, 12345);
    expect(hexOf(OWN_UUID, 16)).toBe(first); // same seed, same UUID
    memory.fill(OWN_UUID, 0, 16);
    start(1, 0, 54321);
    expect(hexOf(OWN_UUID, 16)).not.toBe(first);
    expect(setUuid(OWN_UUID)).toBe(true);
    memory.fill(OTHER, 0, 16);
    expect(setUuid(OTHER)).toBe(false); // nil refused
    encodePacket(1, M, 0, 0, 0);
  });
});
