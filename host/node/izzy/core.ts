// Loads build/izzy.wasm and gives typed access to its ABI (docs/izzy-abi.md).
// The same module runs under wasm3 in the C shim; nothing here re-implements it.
import { ROLE_CLIENT, ROLE_MOTHER, uuidBytes } from "./names.ts";
import { loadModule, type AbiSpec } from "../loader.ts";
import { ABI_VERSION, ABI_VERSION_EXPORT, BUFFER_BYTES } from "./numbers.ts";

const IZZY_SPEC: AbiSpec = { protocol: "izzy", imports: ["izzy_send", "izzy_event"], version: ABI_VERSION, versionExport: ABI_VERSION_EXPORT };

/** RX and TX are 256 bytes; a packet is at most 255. */
export const IZZY_BUFFER = BUFFER_BYTES;

export interface IzzyExports {
  memory: WebAssembly.Memory;
  izzy_rx_buffer(): number;
  izzy_tx_buffer(): number;
  izzy_static_top(): number;
  izzy_abi_version(): number;
  izzy_set_uuid(): number;
  izzy_uuid_ptr(): number;
  izzy_set_interval(ms: number): number;
  izzy_set_timeout(ms: number): number;
  izzy_set_ports(herePort: number, helloPort: number): number;
  izzy_start(role: number, nowMs: number, seed: number): number;
  izzy_tick(nowMs: number): number;
  izzy_receive(len: number, nowMs: number, ipv4: number, port: number): number;
  izzy_last_reason(): number;
  izzy_reject_count(reason: number): number;
  izzy_accept_count(): number;
  izzy_send_count(): number;
  izzy_decode(len: number): number;
  izzy_msg_type(): number;
  izzy_msg_length(): number;
  izzy_msg_payload_length(): number;
  izzy_here_name_length(): number;
  izzy_here_field(field: number): number;
  izzy_set_name(len: number): number;
  izzy_set_status(status: number): number;
  izzy_set_position(x: number, y: number, z: number): void;
  izzy_set_heading(heading: number): void;
  izzy_set_speed(speed: number): void;
  izzy_rearm(nowMs: number): number;
  izzy_status(): number;
  izzy_estopped(): number;
  izzy_heartbeat_ok(): number;
  izzy_mother_known(): number;
  izzy_mother_uuid_ptr(): number;
  izzy_mother_ip(): number;
  izzy_table_count(): number;
  izzy_table_state(i: number): number;
  izzy_table_uuid_ptr(i: number): number;
  izzy_table_ip(i: number): number;
  izzy_table_port(i: number): number;
  izzy_table_field(i: number, field: number): number;
  izzy_table_name_ptr(i: number): number;
  izzy_table_name_length(i: number): number;
  izzy_table_last_ms(i: number): number;
}

/** What the module calls back. */
export interface IzzyHandlers {
  /** A datagram to send (a copy of TX); ipv4 0xffffffff = broadcast. */
  send?(datagram: Uint8Array, ipv4: number, port: number): void;
  /** A state change (IzzyEvent) and its value. */
  event?(code: number, value: number): void;
}

/** One row of the Mother's client table. */
export interface ClientRow {
  slot: number;
  state: number;
  uuid: Uint8Array;
  ipv4: number;
  port: number;
  status: number;
  x: number;
  y: number;
  z: number;
  heading: number;
  speed: number;
  name: Uint8Array;
  lastMs: number;
}

export class IzzyCore {
  readonly exports: IzzyExports;
  readonly rxAddress: number;
  readonly txAddress: number;
  handlers: IzzyHandlers;

  constructor(wasm: Uint8Array | WebAssembly.Module, handlers: IzzyHandlers = {}) {
    this.handlers = handlers;
    const loaded = loadModule(wasm, IZZY_SPEC, {
      izzy_send: (ptr: number, len: number, ipv4: number, port: number) => {
        this.handlers.send?.(this.bytes.slice(ptr, ptr + len), ipv4 >>> 0, port);
      },
      izzy_event: (code: number, value: number) => this.handlers.event?.(code, value),
    });
    this.exports = loaded.exports as unknown as IzzyExports;
    this.rxAddress = this.exports.izzy_rx_buffer();
    this.txAddress = this.exports.izzy_tx_buffer();
  }

  /** Linear memory; it never grows, so views stay valid. */
  get bytes(): Uint8Array {
    return new Uint8Array(this.exports.memory.buffer);
  }

  /** Copies at most 256 bytes into RX; returns the datagram's real length (the core rejects over 255). */
  writeRx(data: Uint8Array): number {
    this.bytes.set(data.subarray(0, IZZY_BUFFER), this.rxAddress);
    return data.length;
  }

  read(ptr: number, len: number): Uint8Array {
    return this.bytes.slice(ptr, ptr + len);
  }

  rx(offset: number, len: number): Uint8Array {
    return this.read(this.rxAddress + offset, len);
  }

  /** Sets our UUID (text or bytes); throws on a malformed or nil UUID. */
  setUuid(uuid: string | Uint8Array): void {
    const bytes = typeof uuid === "string" ? uuidBytes(uuid) : uuid;
    if (bytes === null || bytes.length !== 16) throw new Error(`not a UUID: ${String(uuid)}`);
    this.writeRx(bytes);
    if (this.exports.izzy_set_uuid() !== 0) throw new Error("the nil UUID cannot be ours");
  }

  get uuid(): Uint8Array {
    return this.read(this.exports.izzy_uuid_ptr(), 16);
  }

  /** Sets the client's name; returns the core's reason code (0 done). */
  setName(name: string): number {
    const bytes = new TextEncoder().encode(name);
    if (bytes.length > 32) return 10;
    this.writeRx(bytes);
    return this.exports.izzy_set_name(bytes.length);
  }

  startMother(nowMs: number, seed: number): number {
    return this.exports.izzy_start(ROLE_MOTHER, nowMs >>> 0, seed >>> 0);
  }

  startClient(nowMs: number, seed: number): number {
    return this.exports.izzy_start(ROLE_CLIENT, nowMs >>> 0, seed >>> 0);
  }

  /** A datagram received from ipv4:port at nowMs; ms until the next deadline (-1 none). */
  receive(datagram: Uint8Array, nowMs: number, ipv4: number, port: number): number {
    this.writeRx(datagram);
    return this.exports.izzy_receive(datagram.length, nowMs >>> 0, ipv4 >>> 0, port);
  }

  tick(nowMs: number): number {
    return this.exports.izzy_tick(nowMs >>> 0);
  }

  /** The Mother's client table. */
  table(): ClientRow[] {
    const x = this.exports;
    const rows: ClientRow[] = [];
    for (let i = 0; i < x.izzy_table_count(); i++) {
      rows.push({
        slot: i,
        state: x.izzy_table_state(i),
        uuid: this.read(x.izzy_table_uuid_ptr(i), 16),
        ipv4: x.izzy_table_ip(i) >>> 0,
        port: x.izzy_table_port(i),
        status: x.izzy_table_field(i, 0),
        x: x.izzy_table_field(i, 1),
        y: x.izzy_table_field(i, 2),
        z: x.izzy_table_field(i, 3),
        heading: x.izzy_table_field(i, 4),
        speed: x.izzy_table_field(i, 5),
        name: this.read(x.izzy_table_name_ptr(i), x.izzy_table_name_length(i)),
        lastMs: x.izzy_table_last_ms(i) >>> 0,
      });
    }
    return rows;
  }
}
