// ABI of the core's state: one export answers every question a host asks, so the
// module carries one function for them, not one each (each export costs wasm3 a
// function record, a name and compiled code: docs/porting.md, "Heap").
import { RX, TX } from "../buffers";
import { Query, MEMORY_LIMIT_BYTES } from "./numbers";
import { rejectedCount, accepted } from "../parser";
import { encodedLength, encodeErrorField } from "../encoder";
import { phase, currentStatus } from "../device/device";
import * as config from "../device/config";
import * as message from "../message";

/** i(ii) The state `which` names (Query in docs/abi.md), for `arg` where it takes one; -1 for an unknown `which`. */
export function xpl_query(which: i32, arg: i32): i32 {
  switch (which) {
    case Query.DELIVERED: return message.msgDelivered ? 1 : 0;
    case Query.PHASE: return phase;
    case Query.STATUS: return currentStatus();
    case Query.SOURCE: return <i32>config.SOURCE;
    case Query.SOURCE_LENGTH: return config.sourceLength;
    case Query.INTERVAL: return config.intervalMinutes;
  }
  return codecQuery(which, arg);
}

/** The codec's part of xpl_query: what a codec-only module answers (tests/bench/bench.ts builds one). */
export function codecQuery(which: i32, arg: i32): i32 {
  switch (which) {
    case Query.RX_BUFFER: return <i32>RX;
    case Query.TX_BUFFER: return <i32>TX;
    case Query.STATIC_TOP: {
      assert(__heap_base <= <usize>MEMORY_LIMIT_BYTES); // the host allocates only MEMORY_LIMIT_BYTES
      return <i32>__heap_base;
    }
    case Query.ACCEPT_COUNT: return <i32>accepted();
    case Query.REJECT_COUNT: return <i32>rejectedCount(arg);
    case Query.MSG_TYPE: return message.msgType;
    case Query.MSG_HOP: return message.msgHop;
    case Query.MSG_TARGET_KIND: return message.msgTargetKind;
    case Query.MSG_FIELD_OFFSET: return message.spanOffset(arg);
    case Query.MSG_FIELD_LENGTH: return message.spanLength(arg);
    case Query.MSG_BODY_COUNT: return message.msgBodyCount;
    case Query.MSG_KEY_OFFSET: return message.keyOffset(arg);
    case Query.MSG_KEY_LENGTH: return message.keyLength(arg);
    case Query.MSG_VALUE_OFFSET: return message.valueOffset(arg);
    case Query.MSG_VALUE_LENGTH: return message.valueLength(arg);
    case Query.TX_LENGTH: return encodedLength();
    case Query.ENC_ERROR_FIELD: return encodeErrorField();
  }
  return -1;
}
