// Loads build/izzy.wasm and gives typed access to its ABI (docs/izzy-abi.md).
// The same module runs under wasm3 in the C shim; nothing here re-implements it.
import { ROLE_CLIENT, ROLE_MOTHER, uuidBytes } from "./names.ts";
import { loadModule, type AbiSpec } from "../loader.ts";
import { ABI_VERSION, ABI_VERSION_EXPORT, BUFFER_BYTES, HereField, Query } from "./numbers.ts";

const IZZY_SPEC: AbiSpec = { protocol: "izzy", imports: ["izzy_send", "izzy_event"], version: ABI_VERSION, versionExport: ABI_VERSION_EXPORT };

/** RX and TX are 256 bytes; a packet is at most 255. */
export const IZZY_BUFFER = BUFFER_BYTES;

/** The module's exports (docs/izzy-abi.md); its one-value reads go through izzy_query. */
export interface IzzyExports {
  memory: WebAssembly.Memory;
  izzy_abi_version(): number;
  /** The state `which` (Query) names, for `arg` where it takes one; -1 for an unknown `which`. */
  izzy_query(which: number, arg: number): number;
  izzy_set_uuid(): number;
  izzy_set_interval(ms: number): number;
  izzy_set_timeout(ms: number): number;
  izzy_set_ports(herePort: number, helloPort: number): number;
  izzy_start(role: number, nowMs: number, seed: number): number;
  izzy_tick(nowMs: number): number;
  izzy_receive(len: number, nowMs: number, ipv4: number, port: number): number;
  izzy_decode(len: number): number;
  izzy_set_name(len: number): number;
  izzy_set_status(status: number): number;
  izzy_set_position(x: number, y: number, z: number): void;
  izzy_set_heading(heading: number): void;
  izzy_set_speed(speed: number): void;
  izzy_rearm(nowMs: number): number;
  izzy_table_field(i: number, field: number): number;
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
    this.rxAddress = this.query(Query.RX_BUFFER);
    this.txAddress = this.query(Query.TX_BUFFER);
  }

  /** izzy_query: the state `which` names, for `arg` where it takes one (a reason,
   * a field, a slot); -1 for an unknown `which`. */
  query(which: Query, arg = 0): number {
    return this.exports.izzy_query(which, arg);
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
    return this.read(this.query(Query.UUID_PTR), 16);
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
    const field = (i: number, f: HereField) => this.exports.izzy_table_field(i, f);
    const rows: ClientRow[] = [];
    for (let i = 0; i < this.query(Query.TABLE_COUNT); i++) {
      rows.push({
        slot: i,
        state: this.query(Query.TABLE_STATE, i),
        uuid: this.read(this.query(Query.TABLE_UUID_PTR, i), 16),
        ipv4: this.query(Query.TABLE_IP, i) >>> 0,
        port: this.query(Query.TABLE_PORT, i),
        status: field(i, HereField.STATUS),
        x: field(i, HereField.X),
        y: field(i, HereField.Y),
        z: field(i, HereField.Z),
        heading: field(i, HereField.HEADING),
        speed: field(i, HereField.SPEED),
        name: this.read(this.query(Query.TABLE_NAME_PTR, i), this.query(Query.TABLE_NAME_LENGTH, i)),
        lastMs: this.query(Query.TABLE_LAST_MS, i) >>> 0,
      });
    }
    return rows;
  }
}
