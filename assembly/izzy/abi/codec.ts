// ABI of the izzy codec: validation of a packet with no role and no counters (tools
// and tests); the decoded view is read through izzy_query (query.ts). Signatures in
// wasm3 notation are in docs/izzy-abi.md.
import { decode } from "../codec";

/** i(i) Validates RX[0..len) as a packet: 0 and a view (Query MSG_*, HERE_*), or a reason code. */
export { decode as izzy_decode };
