// ABI of the izzy module's state: one export answers every question a host asks,
// so the module carries one function for them, not one each: under wasm3 each
// export costs a 56-byte function record, its name and its compiled code, and a
// board's heap is what the module's shape costs.
import { RX, TX } from "../buffers";
import { Query, MEMORY_LIMIT_BYTES } from "./numbers";
import * as codec from "../codec";
import * as effects from "../effects";
import * as config from "../config";
import * as core from "../core";
import * as mother from "../mother";
import * as client from "../client";

/** i(ii) The state `which` names (Query in docs/izzy-abi.md), for `arg` where it takes one; -1 for an unknown `which`. */
export function izzy_query(which: i32, arg: i32): i32 {
  switch (which) {
    case Query.RX_BUFFER: return <i32>RX;
    case Query.TX_BUFFER: return <i32>TX;
    case Query.STATIC_TOP: {
      assert(__heap_base <= <usize>MEMORY_LIMIT_BYTES); // the host allocates only MEMORY_LIMIT_BYTES
      return <i32>__heap_base;
    }
    case Query.UUID_PTR: return <i32>config.OWN_UUID;
    case Query.LAST_REASON: return core.lastReason;
    case Query.ACCEPT_COUNT: return <i32>core.acceptedCount();
    case Query.REJECT_COUNT: return <i32>core.rejectedCount(arg);
    case Query.SEND_COUNT: return <i32>effects.sendCount;
    case Query.MSG_TYPE: return codec.msgType;
    case Query.MSG_LENGTH: return codec.msgLength;
    case Query.MSG_PAYLOAD_LENGTH: return codec.msgPayloadLength;
    case Query.HERE_NAME_LENGTH: return codec.hereNameLength;
    case Query.HERE_FIELD: return codec.hereField(arg);
    case Query.STATUS: return client.reportedStatus();
    case Query.ESTOPPED: return client.estopped ? 1 : 0;
    case Query.HEARTBEAT_OK: return client.heartbeatOk ? 1 : 0;
    case Query.MOTHER_KNOWN: return client.motherKnown ? 1 : 0;
    case Query.MOTHER_UUID_PTR: return <i32>client.MOTHER_UUID;
    case Query.MOTHER_IP: return <i32>client.motherIp;
    case Query.TABLE_COUNT: return mother.tableCount;
    case Query.TABLE_STATE: return mother.clientState(arg);
    case Query.TABLE_UUID_PTR: return <i32>mother.clientUuidPtr(arg);
    case Query.TABLE_IP: return <i32>mother.clientIp(arg);
    case Query.TABLE_PORT: return mother.clientPort(arg);
    case Query.TABLE_NAME_PTR: return <i32>mother.clientNamePtr(arg);
    case Query.TABLE_NAME_LENGTH: return mother.clientNameLength(arg);
    case Query.TABLE_LAST_MS: return <i32>mother.clientLast(arg);
  }
  return -1;
}
