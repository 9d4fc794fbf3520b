// ABI of the xPL codec: the exports a host calls to parse what it received and
// to encode messages of its own. Signatures in wasm3 notation are in docs/abi.md.
// Pointers the host passes must lie inside RX, its staging area between calls.
import { staged } from "../buffers";
import { Reason, EncodeField } from "./numbers";
import { parse } from "../parser";
import { beginMessage, addPair, endMessage, refuse } from "../encoder";

/** i(i) Validates RX[0..len): 0 and a message view (read through xpl_query), or a reason code. */
export { parse as xpl_parse };

/** i(iiiiiiii) Begins a message in TX; 0 or a reason (which argument: xpl_query ENC_ERROR_FIELD). */
export function xpl_enc_begin(
  msgType: i32, hop: i32,
  sourcePtr: usize, sourceLen: i32,
  targetPtr: usize, targetLen: i32,
  schemaPtr: usize, schemaLen: i32,
): i32 {
  if (!staged(sourcePtr, sourceLen) || !staged(targetPtr, targetLen) || !staged(schemaPtr, schemaLen)) {
    return refuse(Reason.BAD_ARGUMENT, EncodeField.NONE);
  }
  return beginMessage(msgType, hop, sourcePtr, sourceLen, targetPtr, targetLen, schemaPtr, schemaLen);
}

/** i(iiii) Appends key=value; a refusal drops the whole message. */
export function xpl_enc_pair(keyPtr: usize, keyLen: i32, valuePtr: usize, valueLen: i32): i32 {
  if (!staged(keyPtr, keyLen)) return refuse(Reason.BAD_ARGUMENT, EncodeField.KEY);
  if (!staged(valuePtr, valueLen)) return refuse(Reason.BAD_ARGUMENT, EncodeField.VALUE);
  return addPair(keyPtr, keyLen, valuePtr, valueLen);
}

/** i() Ends the message: its length in TX, or 0 when none is open. */
export { endMessage as xpl_enc_end };
