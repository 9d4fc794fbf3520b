// The IZZY client role on virtual time: Mother from HELLO, HERE 100 ms later,
// a Mother change, ESTOP exactly at the heartbeat deadline and no way out of it
// but heartbeats back AND a re-arm, the 32-bit wrap. No host: what effects.ts records.
import { RX, TX } from "../../assembly/izzy/buffers";
import { Reason, Rearm } from "../../assembly/izzy/abi/numbers";
import { encodeHello, encodePacket, encodeHere } from "../../assembly/izzy/codec";
import { setUuid, setTimeoutMs, setPorts } from "../../assembly/izzy/config";
import { start, tick, receive, lastReason, rejectedCount } from "../../assembly/izzy/core";
import {
  setName, setStatus, setField, rearm, reportedStatus, estopped, heartbeatOk,
  motherKnown, motherIp, MOTHER_UUID, nameLength,
} from "../../assembly/izzy/client";
import { writeHex, hexOf, writeAscii, takeSent, takeEvents, resetCounters, resetConfig, resetApp } from "./izzy-testkit";

const MOTHER = "00112233445566778899aabbccddeeff";
const MOTHER2 = "ffeeddccbbaa99887766554433221100";
const CLIENT = "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf";
const HEAD = "10697a7a796d657373616765";
const IPM: u32 = 0x7f000001;  // 127.0.0.1
const IPM2: u32 = 0x7f000009;

const M: usize = memory.data(16);
const M2: usize = memory.data(16);
const C: usize = memory.data(16);
const OTHER: usize = memory.data(16);
const SCRATCH: usize = memory.data(64);
const VALUES: usize = memory.data<i32>([1, 0, 0, 0, 0, 0]);

function helloFrom(sender: usize, receiver: usize): i32 {
  let len = encodePacket(1, sender, receiver, 0, 0);
  memory.copy(RX, TX, <usize>len);
  return len;
}

function startClient(now: u32): i32 {
  resetConfig();
  resetCounters();
  resetApp();
  setUuid(C);
  let next = start(2, now, 0);
  takeSent();
  takeEvents();
  return next;
}

/** The client has heard Mother at `now` and answered; recorded effects taken. */
function joined(now: u32): void {
  receive(helloFrom(M, 0), now, IPM, 9000);
  tick(now + 100);
  takeSent();
  takeEvents();
}

beforeAll(() => {
  writeHex(M, MOTHER);
  writeHex(M2, MOTHER2);
  writeHex(C, CLIENT);
  writeHex(OTHER, "0102030405060708090a0b0c0d0e0f10");
});

describe("izzy client: HELLO and HERE", () => {
  test("a HELLO names the Mother; HERE goes 100 ms later, unicast to Mother:9000", () => {
    expect(startClient(1000)).toBe(3000);
    writeAscii(SCRATCH, "izzy-1");
    expect(setName(SCRATCH, 6)).toBe(Reason.OK);
    setStatus(1);
    setField(1, 100); setField(2, -200); setField(3, 0); setField(4, 90); setField(5, 5);
    expect(receive(helloFrom(M, 0), 2000, IPM, 9000)).toBe(100);
    expect(lastReason).toBe(Reason.OK);
    expect(takeEvents()).toBe("1:" + (<i32>IPM).toString());
    expect(motherKnown).toBe(true);
    expect(motherIp).toBe(IPM);
    expect(hexOf(MOTHER_UUID, 16)).toBe(MOTHER);
    expect(takeSent()).toBe("");
    expect(tick(2099)).toBe(1);
    expect(takeSent()).toBe("");
    expect(tick(2100)).toBe(2900);
    expect(takeSent()).toBe("7f000001:9000 " + HEAD + "52" + CLIENT + MOTHER + "02" +
      "697a7a792d31" + "2c01000000" + "2c64000000" + "2c38ffffff" + "2c00000000" + "2c5a000000" + "2c05000000");
  });

  test("a HELLO addressed to us is taken; one addressed to someone else is ignored", () => {
    startClient(0);
    receive(helloFrom(M, OTHER), 10, IPM, 9000);
    expect(lastReason).toBe(Reason.NOT_FOR_ME);
    expect(motherKnown).toBe(false);
    expect(rejectedCount(Reason.NOT_FOR_ME)).toBe(1);
    receive(helloFrom(M, C), 20, IPM, 9000);
    expect(lastReason).toBe(Reason.OK);
    expect(motherKnown).toBe(true);
  });

  test("HELLO from a nil or our own UUID, or a HERE, is refused", () => {
    startClient(0);
    memory.fill(SCRATCH, 0, 16);
    receive(helloFrom(SCRATCH, 0), 10, IPM, 1);
    expect(lastReason).toBe(Reason.NIL_SENDER);
    receive(helloFrom(C, 0), 10, IPM, 1);
    expect(lastReason).toBe(Reason.FROM_SELF);
    let len = encodeHere(M, C, SCRATCH, 0, VALUES);
    memory.copy(RX, TX, <usize>len);
    receive(len, 10, IPM, 1);
    expect(lastReason).toBe(Reason.UNEXPECTED_TYPE);
    expect(motherKnown).toBe(false);
  });

  test("HELLOs closer than 100 ms do not postpone the HERE", () => {
    startClient(0);
    receive(helloFrom(M, 0), 0, IPM, 1);
    receive(helloFrom(M, 0), 60, IPM, 1);
    expect(tick(100)).toBe(2960);
    expect(takeSent()).not.toBe("");
  });

  test("ports are configurable", () => {
    startClient(0);
    setPorts(41000, 41001);
    receive(helloFrom(M, 0), 0, IPM, 1);
    tick(100);
    expect(takeSent().slice(0, 15)).toBe("7f000001:41000 ");
  });

  test("the name refuses a comma and more than 32 bytes", () => {
    resetApp();
    writeAscii(SCRATCH, "a,b");
    expect(setName(SCRATCH, 3)).toBe(Reason.HERE_NAME_COMMA);
    expect(setName(SCRATCH, 33)).toBe(Reason.HERE_NAME_LONG);
    expect(nameLength).toBe(0);
    expect(setStatus(0)).toBe(false);
    expect(setStatus(7)).toBe(false);
    expect(setStatus(6)).toBe(true);
  });
});

describe("izzy client: Mother change", () => {
  test("a HELLO from a new Mother replaces the old one and is reported", () => {
    startClient(0);
    joined(0);
    receive(helloFrom(M2, 0), 500, IPM2, 9000);
    expect(takeEvents()).toBe("1:" + (<i32>IPM2).toString());
    expect(hexOf(MOTHER_UUID, 16)).toBe(MOTHER2);
    expect(motherIp).toBe(IPM2);
    tick(600);
    let sent = takeSent();
    expect(sent.slice(0, 14)).toBe("7f000009:9000 ");
    expect(sent.slice(14 + 58, 14 + 90)).toBe(MOTHER2); // HERE's receiver is the new Mother
    // The same Mother again: no event.
    receive(helloFrom(M2, 0), 1500, IPM2, 9000);
    expect(takeEvents()).toBe("");
    // Same Mother UUID from another address: moved.
    receive(helloFrom(M2, 0), 2500, IPM, 9000);
    expect(takeEvents()).toBe("2:" + (<i32>IPM).toString());
  });
});

describe("izzy client: loss of heartbeat", () => {
  test("ESTOP exactly at the deadline, not a millisecond before", () => {
    startClient(0);
    joined(1000);
    expect(tick(3999)).toBe(1);
    expect(estopped).toBe(false);
    expect(reportedStatus()).toBe(1);
    expect(takeEvents()).toBe("");
    expect(tick(4000)).toBe(-1); // nothing left to wait for but a datagram
    expect(estopped).toBe(true);
    expect(heartbeatOk).toBe(false);
    expect(reportedStatus()).toBe(4);
    expect(takeEvents()).toBe("3:1");
    expect(tick(100000)).toBe(-1);
    expect(takeEvents()).toBe(""); // reported once
  });

  test("a client that never hears a Mother stops after the timeout", () => {
    expect(startClient(0)).toBe(3000);
    tick(2999);
    expect(estopped).toBe(false);
    tick(3000);
    expect(estopped).toBe(true);
    expect(takeEvents()).toBe("3:1");
  });

  test("stays in ESTOP until heartbeats are back AND it is re-armed", () => {
    startClient(0);
    joined(0);
    tick(3000);
    expect(estopped).toBe(true);
    takeEvents();
    // Re-arm without heartbeat: refused, and not remembered.
    expect(rearm(3500)).toBe(Rearm.NO_HEARTBEAT);
    expect(estopped).toBe(true);
    // Heartbeat back: reported, but still ESTOP, and HERE says so.
    receive(helloFrom(M, 0), 4000, IPM, 9000);
    expect(takeEvents()).toBe("4:0");
    expect(estopped).toBe(true);
    tick(4100);
    let sent = takeSent();
    expect(sent.slice(14 + 92, 14 + 92 + 10)).toBe("2c04000000"); // status ESTOP
    receive(helloFrom(M, 0), 5000, IPM, 9000);
    tick(5100);
    takeSent();
    expect(estopped).toBe(true);
    // The application re-arms: now it leaves ESTOP.
    expect(rearm(5200)).toBe(Rearm.DONE);
    expect(takeEvents()).toBe("5:0");
    expect(estopped).toBe(false);
    expect(reportedStatus()).toBe(1);
    expect(rearm(5300)).toBe(Rearm.NOT_ESTOPPED);
  });

  test("a re-arm after the heartbeat lapsed again is refused", () => {
    startClient(0);
    joined(0);
    tick(3000);
    receive(helloFrom(M, 0), 4000, IPM, 9000);
    takeEvents();
    expect(rearm(7000)).toBe(Rearm.NO_HEARTBEAT); // 7000 = 4000 + 3000: lost again
    expect(takeEvents()).toBe("10:0");
    expect(estopped).toBe(true);
  });

  test("a HELLO after the deadline but before any tick does not undo the ESTOP", () => {
    startClient(0);
    joined(0);
    receive(helloFrom(M, 0), 3000, IPM, 9000);
    expect(estopped).toBe(true);
    expect(takeEvents()).toBe("3:1 4:0");
  });

  test("the timeout is configurable", () => {
    startClient(0);
    setTimeoutMs(5000);
    joined(0);
    tick(4999);
    expect(estopped).toBe(false);
    tick(5000);
    expect(estopped).toBe(true);
  });

  test("an ESTOP packet from our Mother stops at once; from anyone else it is refused", () => {
    startClient(0);
    joined(0);
    let len = encodePacket(6, OTHER, 0, 0, 0);
    memory.copy(RX, TX, <usize>len);
    receive(len, 500, IPM, 9000);
    expect(lastReason).toBe(Reason.NOT_MOTHER);
    expect(estopped).toBe(false);
    len = encodePacket(6, M, 0, 0, 0);
    memory.copy(RX, TX, <usize>len);
    receive(len, 600, IPM, 9000);
    expect(lastReason).toBe(Reason.OK);
    expect(estopped).toBe(true);
    expect(takeEvents()).toBe("3:2");
    expect(rearm(700)).toBe(Rearm.DONE); // heartbeat still alive
  });

  test("the heartbeat deadline is wrap-safe", () => {
    startClient(0xfffffa00);
    joined(0xfffffc00); // 1024 ms before the wrap; deadline 0x00000bb8 - 0x400 = 0x7b8
    expect(tick(0x000007b7)).toBe(1);
    expect(estopped).toBe(false);
    tick(0x000007b8);
    expect(estopped).toBe(true);
  });

  test("a host clock that jumps back does not postpone the ESTOP", () => {
    startClient(1000000);
    joined(1000000);
    expect(tick(10)).toBe(3000); // pulled in to now + timeout
    tick(3010);
    expect(estopped).toBe(true);
  });
});
