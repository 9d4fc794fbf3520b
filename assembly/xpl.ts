// The xPL module's single entry (build/xpl-hbeat.wasm): everything exported here is
// its ABI (docs/abi.md). Nothing in the core reads a clock, a socket or entropy.
export * from "./xpl/abi/codec";
export * from "./xpl/abi/device";
export { xpl_query } from "./xpl/abi/query";
