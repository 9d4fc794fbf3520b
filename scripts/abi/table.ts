// The shape of an ABI table: every number a host and the core must agree on, once.
// scripts/gen-abi.ts writes them into AssemblyScript, TypeScript, a C header and the
// docs' tables; a test fails when a written file differs from what the table gives.

/** One named value: [NAME, meaning]. Codes run from the enum's `first`, one apart. */
export type AbiValue = readonly [name: string, meaning: string];

export interface AbiEnum {
  /** The AssemblyScript and TypeScript name, e.g. "Reason". */
  name: string;
  /** The prefix of the C names, after the protocol's: "REASON" gives XH_XPL_REASON_OK. */
  c: string;
  /** What the numbers are, one line. */
  doc: string;
  first: number;
  values: readonly AbiValue[];
  /** Also write NAME_COUNT (codes run first..COUNT-1) and a names list. */
  counted?: boolean;
}

export interface AbiTable {
  /** "xpl" or "izzy": the file names and the C prefix (XH_XPL_). */
  protocol: string;
  /** Raised on any change a host must know of; hosts refuse a module of another version. */
  version: number;
  /** The export that returns `version`. */
  versionExport: string;
  /** Sizes both sides build on: [NAME, value, meaning]. */
  constants: readonly (readonly [name: string, value: number, meaning: string])[];
  enums: readonly AbiEnum[];
}
