// The izzy module's ABI numbers: the one place they are written (scripts/gen-abi.ts).
import type { AbiTable } from "./table.ts";

export const IZZY_ABI: AbiTable = {
  protocol: "izzy",
  version: 2,
  versionExport: "izzy_abi_version",
  constants: [
    ["BUFFER_BYTES", 256, "bytes of RX and of TX (a packet is at most 255)"],
    ["MEMORY_LIMIT_BYTES", 4096, "the most linear memory a wasm3 host allocates (memoryLimit); it keeps only what lies below izzy_static_top(), all the module ever reads or writes"],
  ],
  enums: [
    {
      name: "Reason", c: "REASON", first: 0, counted: true,
      doc: "Why a datagram was refused; 0 accepted. 1..10 are the codec's (izzy_decode), 11.. the roles'. One counter per code (izzy_reject_count).",
      values: [
        ["OK", "accepted"],
        ["TOO_SHORT", "datagram under 46 bytes"],
        ["TOO_LONG", "datagram over 255 bytes"],
        ["BAD_PREAMBLE", "byte 0 is not 0x10"],
        ["BAD_MESSAGE_ID", "bytes 1..11 are not \"izzymessage\""],
        ["LENGTH_MISMATCH", "length byte differs from the datagram's length"],
        ["UNKNOWN_TYPE", "message type outside 1..8"],
        ["HERE_TOO_SHORT", "HERE payload under 30 bytes (six `,` + i32)"],
        ["HERE_SEPARATOR", "a `,` missing where a HERE field begins (fields are found by position, from the end)"],
        ["HERE_NAME_COMMA", "the HERE name contains a `,` (also: encoder refusal)"],
        ["HERE_NAME_LONG", "Mother: name over 32 bytes (encoder: over 179)"],
        ["NOT_FOR_ME", "receiver is neither us nor (for HELLO) nil"],
        ["UNEXPECTED_TYPE", "a valid packet the role does not take (Mother: all but HERE; client: all but HELLO, ESTOP)"],
        ["NIL_SENDER", "sender UUID is nil"],
        ["FROM_SELF", "sender UUID is our own (a looped-back packet)"],
        ["TABLE_FULL", "Mother: 16 clients, none of them MISSING to reuse"],
        ["NOT_STARTED", "a datagram before izzy_start"],
        ["NOT_MOTHER", "client: ESTOP packet from someone other than our Mother"],
      ],
    },
    {
      name: "Event", c: "EV", first: 1, counted: true,
      doc: "Events of the `izzy_event` import, each with one value.",
      values: [
        ["MOTHER_CHANGED", "client: a new Mother, by its first HELLO or a HELLO from another Mother UUID (value: its IPv4)"],
        ["MOTHER_MOVED", "client: same Mother UUID from a new IPv4 (value: the IPv4)"],
        ["ESTOP", "client: **stop now**: safe state entered (value: EstopCause)"],
        ["HEARTBEAT_BACK", "client: a valid HELLO after a loss; still in ESTOP until re-armed"],
        ["REARMED", "client: the application re-armed; ESTOP left"],
        ["CLIENT_NEW", "Mother: a client took a slot (value: slot), state UNVERIFIED"],
        ["CLIENT_CONNECTED", "Mother: a client was verified (value: slot)"],
        ["CLIENT_MISSING", "Mother: a client's timeout passed (value: slot)"],
        ["CLIENT_BACK", "Mother: a MISSING client answered again (value: slot)"],
        ["HEARTBEAT_LOST", "client: no HELLO within the timeout while already in ESTOP (value 0)"],
      ],
    },
    {
      name: "EstopCause", c: "ESTOP", first: 1,
      doc: "The value of the ESTOP event.",
      values: [
        ["HEARTBEAT_LOST", "no valid HELLO from the Mother within the timeout"],
        ["ESTOP_MESSAGE", "the Mother sent an ESTOP packet"],
      ],
    },
    {
      name: "Role", c: "ROLE", first: 0,
      doc: "The role given to izzy_start.",
      values: [
        ["NONE", "not started"],
        ["MOTHER", "sends HELLO, keeps the client table"],
        ["CLIENT", "an IZZY robot: answers HELLO with HERE, ESTOP on a lost heartbeat"],
      ],
    },
    {
      name: "MsgType", c: "MSG", first: 1,
      doc: "Packet types (izzy_msg_type; 0 none).",
      values: [
        ["HELLO", "Mother -> clients, broadcast"],
        ["HERE", "client -> Mother: status, position, name"],
        ["SETUP_ERROR", ""], ["MOVING", ""], ["FOLLOWING", ""],
        ["ESTOP", "Mother -> a client: stop now"],
        ["OSC_COM_ERROR", ""], ["NOT_VALID", ""],
      ],
    },
    {
      name: "ClientStatus", c: "STATUS", first: 1,
      doc: "A client's status (izzy_set_status, izzy_status, HERE field 0).",
      values: [
        ["AVAILABLE", ""], ["MOVING", ""], ["FOLLOWING", ""],
        ["ESTOP", "reported while in the safe state"],
        ["BROKEN", ""], ["UNVERIFIED", ""],
      ],
    },
    {
      name: "ClientState", c: "SLOT", first: 0,
      doc: "A slot of the Mother's client table (izzy_table_state).",
      values: [
        ["FREE", "out of range or unused"],
        ["CONNECTED", "verified and answering"],
        ["MISSING", "its timeout passed"],
        ["UNVERIFIED", "took a slot, not yet verified"],
      ],
    },
    {
      name: "HereField", c: "HERE", first: 0,
      doc: "The numbers of a HERE packet (izzy_here_field, izzy_table_field).",
      values: [["STATUS", "ClientStatus"], ["X", ""], ["Y", ""], ["Z", ""], ["HEADING", ""], ["SPEED", ""]],
    },
    {
      name: "Rearm", c: "REARM", first: 0,
      doc: "What izzy_rearm did.",
      values: [
        ["DONE", "ESTOP left"],
        ["NOT_ESTOPPED", "nothing to do"],
        ["NO_HEARTBEAT", "refused: no valid HELLO since the loss (or no Mother yet)"],
        ["NOT_CLIENT", "the core is not running as a client"],
      ],
    },
  ],
};
