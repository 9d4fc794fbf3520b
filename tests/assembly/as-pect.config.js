// as-pect: AssemblyScript specs of the core, compiled with as-pect's test options.
// The core's host imports (docs/abi.md) are linked as no-ops: specs check the
// core's own state; the Node suites check what crosses the ABI.
export default {
  entries: ["tests/assembly/**/*.spec.ts"],
  include: ["tests/assembly/**/*.include.ts"],
  disclude: [/node_modules/],
  async instantiate(memory, createImports, instantiate, binary) {
    const noop = () => 0;
    return instantiate(binary, createImports({
      env: { memory, send: noop, store_config: noop, log: noop, izzy_send: noop, izzy_event: noop },
    }));
  },
  outputBinary: false,
};
