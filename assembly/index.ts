// The firmware core's single entry: everything exported here is the ABI
// (docs/abi.md). Nothing in the core reads a clock, a socket or entropy.
export * from "./abi/codec";
export * from "./abi/device";
