// One datagram in one line for the logs, through the core's parser (never by
// splitting lines): "xpl-stat hbeat.app from acme-x.y", or the reason it is invalid.
import { XplCore } from "./core.ts";
import { decode } from "./codec.ts";

export class Describer {
  private readonly core: XplCore;
  constructor(wasm: Uint8Array<ArrayBuffer> | WebAssembly.Module) { this.core = new XplCore(wasm); }

  /** { schema, source } of a valid datagram, or null with the reason in `invalid`. */
  parts(datagram: Uint8Array): { msgtype: string; schema: string; source: string; target: string } | { invalid: string } {
    const m = decode(this.core, datagram);
    return m.ok ? { msgtype: m.msgtype, schema: m.schema, source: m.source, target: m.target } : { invalid: m.reason };
  }

  /** The schema of a valid datagram, "?" otherwise. */
  schema(datagram: Uint8Array): string {
    const p = this.parts(datagram);
    return "invalid" in p ? "?" : p.schema;
  }

  line(datagram: Uint8Array): string {
    const p = this.parts(datagram);
    return "invalid" in p ? `an invalid datagram (${p.invalid}, ${datagram.length} bytes)` : `${p.msgtype} ${p.schema} from ${p.source}`;
  }
}
