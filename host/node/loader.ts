// The one loader of both modules for the Node hosts (xpl/core.ts and izzy/core.ts are
// typed views over it). Strict, like the C shim's xh_core: a module that imports
// anything outside its ABI is refused, every ABI import it has must be given, and a
// module of another ABI version is refused with both versions named.

/** What a protocol's module may import and which version of the ABI the host speaks. */
export interface AbiSpec {
  /** "xpl" or "izzy", for messages. */
  protocol: string;
  /** Every import of the ABI (module "env"); a release module may use a subset. */
  imports: readonly string[];
  version: number;
  versionExport: string;
}

export type ImportFunction = (...args: number[]) => number | void;

export interface LoadedModule {
  exports: WebAssembly.Exports;
  memory: WebAssembly.Memory;
}

/** An AssemblyScript string (UTF-16, its byte length just before it), for assertion messages. */
function text16(memory: WebAssembly.Memory, ptr: number): string {
  if (ptr === 0) return "";
  const bytes = new Uint8Array(memory.buffer);
  const len = new DataView(memory.buffer).getUint32(ptr - 4, true);
  return Buffer.from(bytes.subarray(ptr, ptr + len)).toString("utf16le");
}

/**
 * Instantiates `wasm` with `imports` (by name, module "env"). `env.abort` is linked only
 * for the assertion builds (asconfig "test" targets), where a failed assertion throws.
 */
export function loadModule(
  wasm: Uint8Array | WebAssembly.Module,
  spec: AbiSpec,
  imports: Readonly<Record<string, ImportFunction>>,
): LoadedModule {
  const module = wasm instanceof WebAssembly.Module ? wasm : new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>);
  let memory: WebAssembly.Memory | undefined;
  const env: Record<string, WebAssembly.ImportValue> = {};
  for (const entry of WebAssembly.Module.imports(module)) {
    const name = `${entry.module}.${entry.name}`;
    if (entry.module === "env" && entry.name === "abort") {
      env.abort = (message: number, file: number, line: number, column: number) => {
        const m = memory!;
        throw new Error(`${spec.protocol} core assertion failed: ${text16(m, message)} at ${text16(m, file)}:${line}:${column}`);
      };
      continue;
    }
    if (entry.module !== "env" || !spec.imports.includes(entry.name)) {
      throw new Error(`${spec.protocol} module imports ${name}: not in its ABI (${spec.imports.join(", ")})`);
    }
    const fn = imports[entry.name];
    if (typeof fn !== "function") throw new Error(`${spec.protocol} module imports ${name}: the host gives no handler`);
    env[entry.name] = fn;
  }
  const instance = new WebAssembly.Instance(module, { env });
  memory = instance.exports.memory as WebAssembly.Memory;
  const version = instance.exports[spec.versionExport];
  const found = typeof version === "function" ? (version as () => number)() : undefined;
  if (found !== spec.version) {
    throw new Error(`${spec.protocol} module: ABI version ${found ?? "(no " + spec.versionExport + ")"}, this host speaks ${spec.version}: rebuild the module or the host`);
  }
  return { exports: instance.exports, memory };
}
