// Loads the release .wasm and gives typed access to its ABI (docs/abi.md).
// The same module runs under wasm3 in the C shim; nothing here re-implements it.
import { loadModule, type AbiSpec } from "../loader.ts";
import { ABI_VERSION, ABI_VERSION_EXPORT, DATAGRAM_MAX, Query, StoreResult } from "./numbers.ts";

export { DATAGRAM_MAX } from "./numbers.ts";

/** The exports of the core, as docs/abi.md lists them. */
export interface CoreExports {
  memory: WebAssembly.Memory;
  /** The core's state: `which` a Query, `arg` the reason, field or body line of those that take one (else 0); -1 for an unknown `which`. */
  xpl_query(which: Query, arg: number): number;
  xpl_parse(len: number): number;
  xpl_enc_begin(type: number, hop: number, sp: number, sl: number, tp: number, tl: number, cp: number, cl: number): number;
  xpl_enc_pair(kp: number, kl: number, vp: number, vl: number): number;
  xpl_enc_end(): number;
  xpl_set_text(which: number, ptr: number, len: number): number;
  xpl_set_int(which: number, value: number): number;
  xpl_restore(len: number): number;
  xpl_start(nowMs: number, seed: number): number;
  xpl_tick(nowMs: number): number;
  xpl_receive(len: number, nowMs: number): number;
  xpl_stop(nowMs: number): number;
  xpl_send(): number;
  xpl_abi_version(): number;
  xpl_encode_heartbeat(): number;
}

/** What the core calls back (docs/abi.md); a codec-only host may leave them out (ignored). */
export interface CoreImports {
  /** env.send, inside start/tick/receive/stop: broadcast the datagram at [ptr, ptr+len). Must not call the core. */
  send?(ptr: number, len: number): void;
  /** env.store_config, inside xpl_receive: persist [ptr, ptr+len) whole or not at all; 0 when written. */
  store_config?(ptr: number, len: number): number;
  /** env.log, inside any state change: an event and its value. Must not call the core. */
  log?(event: number, value: number): void;
}

/** Every import of the xPL ABI; the release module has exactly these. */
export const ABI_IMPORTS = ["send", "store_config", "log"] as const;

const XPL_SPEC: AbiSpec = { protocol: "xpl", imports: ABI_IMPORTS, version: ABI_VERSION, versionExport: ABI_VERSION_EXPORT };
const ignore = () => 0;

export class XplCore {
  readonly exports: CoreExports;
  readonly rxAddress: number;
  readonly txAddress: number;
  private readonly memory: WebAssembly.Memory;

  constructor(wasm: Uint8Array<ArrayBuffer> | WebAssembly.Module, imports: CoreImports = {}) {
    const loaded = loadModule(wasm, XPL_SPEC, {
      send: imports.send ?? ignore,
      store_config: imports.store_config ?? (() => StoreResult.NO_STORAGE),
      log: imports.log ?? ignore,
    });
    this.memory = loaded.memory;
    this.exports = loaded.exports as unknown as CoreExports;
    this.rxAddress = this.query(Query.RX_BUFFER);
    this.txAddress = this.query(Query.TX_BUFFER);
  }

  /** xpl_query: the state `which` names, for `arg` where it takes one (a reason, a
   * field, a body line); -1 for an unknown `which`. */
  query(which: Query, arg = 0): number {
    return this.exports.xpl_query(which, arg);
  }

  private view?: Uint8Array;

  /** The bytes of linear memory; the core's memory never grows, so one view serves (a grown one would detach it: length 0). */
  get bytes(): Uint8Array {
    if (this.view === undefined || this.view.byteLength === 0) this.view = new Uint8Array(this.memory.buffer);
    return this.view;
  }

  private rx?: Uint8Array;

  /** Writes a datagram into RX. Datagrams over 1500 bytes are not copied (the core rejects them by length). */
  writeRx(data: Uint8Array, offset = 0): number {
    if (offset + data.length > DATAGRAM_MAX) return data.length;
    // A view of RX alone, made once (the memory never grows; a grown one would detach it: length 0).
    if (this.rx === undefined || this.rx.byteLength === 0) this.rx = this.bytes.subarray(this.rxAddress, this.rxAddress + DATAGRAM_MAX);
    this.rx.set(data, offset);
    return data.length;
  }

  /** A copy of TX[0..len). */
  readTx(len: number): Uint8Array {
    return this.bytes.slice(this.txAddress, this.txAddress + len);
  }

  /** A copy of any bytes of linear memory. */
  read(ptr: number, len: number): Uint8Array {
    return this.bytes.slice(ptr, ptr + len);
  }

  /** Bytes of RX at an offset. */
  rxSlice(offset: number, len: number): Uint8Array {
    return this.bytes.subarray(this.rxAddress + offset, this.rxAddress + offset + len);
  }
}
