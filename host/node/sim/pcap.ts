// A simulated run as a capture file (libpcap format, link type "raw IPv4"): each
// datagram the virtual network carries, as the sender put it on the wire (before
// loss), with the virtual time as its timestamp and the virtual network's own
// addresses and ports (192.0.2.0/24, documentation addresses). Wireshark and
// tshark open it; xPL is decoded on UDP port 3865 (and `-d udp.port==50000,xpl`
// for a hub's forwards to an application's port).
import { openSync, writeSync, closeSync } from "node:fs";
import type { Endpoint } from "../xpl/hub.ts";
import { SIM_HUB_HOST, type NetworkObserver } from "./network.ts";

const PCAP_MAGIC_US = 0xa1b2c3d4;
const LINKTYPE_RAW = 101; // the packet starts with its IPv4 header
const SNAPLEN = 65_535;
const IPV4_HEADER_BYTES = 20;
const UDP_HEADER_BYTES = 8;
const IP_PROTOCOL_UDP = 17;
const TTL = 64;
/** Records buffered before a write. */
const FLUSH_BYTES = 1 << 20;

function ipv4Bytes(address: string): number[] {
  const parts = address.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`pcap: not an IPv4 address: ${address}`);
  return parts;
}

/** The IPv4 header checksum: one's complement of the one's-complement sum of its 16-bit words. */
function checksum(header: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) sum += (header[i] << 8) | header[i + 1];
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export class PcapWriter implements NetworkObserver {
  private readonly fd: number;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private ipId = 0;
  packets = 0;

  /** now(): the virtual time in ms, read for each packet. */
  constructor(path: string, private readonly now: () => number) {
    this.fd = openSync(path, "w");
    const header = Buffer.alloc(24);
    header.writeUInt32LE(PCAP_MAGIC_US, 0);
    header.writeUInt16LE(2, 4);
    header.writeUInt16LE(4, 6);
    header.writeInt32LE(0, 8); // GMT
    header.writeUInt32LE(0, 12);
    header.writeUInt32LE(SNAPLEN, 16);
    header.writeUInt32LE(LINKTYPE_RAW, 20);
    this.push(header);
  }

  /** The network's observer hook: one packet per destination of a send. */
  sent(datagram: Uint8Array, from: Endpoint, to: Endpoint): void {
    // The hub binds 0.0.0.0: on the wire its packets leave from the hub host.
    this.packet(from.address === "0.0.0.0" ? SIM_HUB_HOST : from.address, from.port, to.address, to.port, datagram);
  }

  packet(src: string, srcPort: number, dst: string, dstPort: number, payload: Uint8Array): void {
    const length = IPV4_HEADER_BYTES + UDP_HEADER_BYTES + payload.length;
    const record = Buffer.alloc(16 + length);
    const ms = this.now();
    record.writeUInt32LE(Math.floor(ms / 1000), 0);
    record.writeUInt32LE((ms % 1000) * 1000, 4);
    record.writeUInt32LE(length, 8);
    record.writeUInt32LE(length, 12);
    const ip = record.subarray(16, 16 + IPV4_HEADER_BYTES);
    ip[0] = 0x45; // IPv4, 5 words of header
    ip.writeUInt16BE(length, 2);
    ip.writeUInt16BE(this.ipId = (this.ipId + 1) & 0xffff, 4);
    ip[8] = TTL;
    ip[9] = IP_PROTOCOL_UDP;
    ip.set(ipv4Bytes(src), 12);
    ip.set(ipv4Bytes(dst), 16);
    ip.writeUInt16BE(checksum(ip), 10);
    const udp = record.subarray(16 + IPV4_HEADER_BYTES);
    udp.writeUInt16BE(srcPort, 0);
    udp.writeUInt16BE(dstPort, 2);
    udp.writeUInt16BE(UDP_HEADER_BYTES + payload.length, 4);
    udp.writeUInt16BE(0, 6); // no UDP checksum (allowed over IPv4)
    udp.set(payload, UDP_HEADER_BYTES);
    this.push(record);
    this.packets++;
  }

  private push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered >= FLUSH_BYTES) this.flush();
  }

  private flush(): void {
    if (this.buffered === 0) return;
    writeSync(this.fd, Buffer.concat(this.chunks));
    this.chunks = [];
    this.buffered = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
