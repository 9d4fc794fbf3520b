/* xh_xpl.h: the xPL heartbeat core (build/xpl-hbeat.wasm) through its ABI
 * (docs/abi.md), over xh_core.
 *
 * Call order: xh_xpl_load, xh_xpl_set_text(XH_XPL_TEXT_SOURCE) and other
 * settings, xh_xpl_restore (optional), xh_xpl_start, then xh_xpl_receive /
 * xh_xpl_tick as datagrams and deadlines come, xh_xpl_stop. Every call that
 * takes now_ms gives back wait_ms: the milliseconds until the core's next
 * deadline, or -1 for none.
 *
 * The host's callbacks (xh_xpl_host) send, store_config and log run inside those
 * calls, in the core's order, and must not call the core (wasm3 cannot be
 * re-entered: a nested call reuses the bottom of the value stack). `deliver` is
 * not an import: after xpl_receive returns, xh_xpl asks xpl_query(DELIVERED) and hands
 * the message to `deliver`, which may read the view with more calls.
 */
#ifndef XH_XPL_H
#define XH_XPL_H

#include "xh_core.h"
#include "xh_xpl_abi.h"   /* generated: reasons, events, phases, fields, settings */

/* XH_XPL_DATAGRAM_MAX and XH_XPL_MEMORY_LIMIT_BYTES: the core's sizes, in xh_xpl_abi.h. */
/* wasm3 value stack: the core's call chains are shallow (measured: see README). */
#ifndef XH_XPL_STACK_BYTES
#define XH_XPL_STACK_BYTES 1024u
#endif
/* Compile every function at load: all of wasm3's allocation happens at start. */
#ifndef XH_COMPILE_ALL
#define XH_COMPILE_ALL 1
#endif

struct xh_xpl;

/* Why the core refused an application message: a reason (XH_XPL_REASON_*) and
 * the part it was refused for (XH_XPL_ENC_*). */
typedef struct xh_xpl_refusal {
    int32_t reason;
    int32_t field;
} xh_xpl_refusal;

typedef struct xh_xpl_host {
    void   *user;
    /* env.send. Called by the core from inside xh_xpl_start/tick/receive/stop and
     * xh_xpl_message_send, at most once a call: must not call the core (wasm3
     * cannot be re-entered), data[0..len) is valid during the call only. Broadcast
     * it to the xPL port. NULL: dropped. */
    void    (*send)(void *user, const uint8_t *data, uint32_t len);
    /* Called by xh_xpl_receive after xpl_receive returned, when the core left a
     * message for the application: NOT inside a call, so it may read the view
     * (xh_xpl_query, xh_xpl_msg_*) and send (xh_xpl_message_*); must not call
     * xh_xpl_tick/receive/stop. NULL: none. */
    void    (*deliver)(void *user, struct xh_xpl *x);
    /* env.store_config. Called by the core from inside xh_xpl_receive when a
     * configuration was applied: must not call the core. Persist blob[0..len)
     * whole or not at all: 0 when written, else non-zero (logged STORE_FAILED).
     * NULL: this host keeps no configuration; the core is told XH_XPL_STORE_NO_STORAGE. */
    int32_t (*store_config)(void *user, const uint8_t *blob, uint32_t len);
    /* env.log. Called by the core from inside any call, in its order, many times a
     * call: must not call the core nor block. Event XH_XPL_EV_* and its value. */
    void    (*log)(void *user, int32_t event, int32_t value);
} xh_xpl_host;

typedef struct xh_xpl {
    xh_core_t           core;
    const xh_xpl_host  *host;
    uint8_t            *rx;          /* RX: XH_XPL_DATAGRAM_MAX bytes in linear memory */
    uint8_t            *tx;
    uint32_t            rx_offset;
    uint32_t            static_top;  /* xpl_query(XH_XPL_Q_STATIC_TOP) */
    xh_fn               fn_set_text, fn_set_int, fn_restore, fn_start, fn_tick, fn_receive, fn_stop;
    xh_fn               fn_query, fn_parse;
    xh_fn               fn_enc_begin, fn_enc_pair, fn_enc_end, fn_send;
    xh_xpl_refusal      refusal;       /* the message being built: its first refusal (reason 0: none) */
    uint8_t             building;      /* a message was begun and not sent yet */
} xh_xpl_t;

xh_result xh_xpl_load(xh_xpl_t *x, const uint8_t *wasm, uint32_t wasm_len, const xh_xpl_host *host);
void      xh_xpl_free(xh_xpl_t *x);

/* Settings (before start). *reason: 0 or the core's reason code. */
xh_result xh_xpl_set_text(xh_xpl_t *x, int32_t which, const void *text, uint32_t len, int32_t *reason);
xh_result xh_xpl_set_int(xh_xpl_t *x, int32_t which, int32_t value, int32_t *reason);
/* A stored blob (at most XH_XPL_DATAGRAM_MAX bytes are staged; the real length is passed). */
xh_result xh_xpl_restore(xh_xpl_t *x, const uint8_t *blob, uint32_t len, int32_t *reason);

xh_result xh_xpl_start(xh_xpl_t *x, uint32_t now_ms, uint32_t seed, int32_t *wait_ms);
xh_result xh_xpl_tick(xh_xpl_t *x, uint32_t now_ms, int32_t *wait_ms);
/* A datagram of real length len is in RX (x->rx; at most XH_XPL_DATAGRAM_MAX bytes copied). */
xh_result xh_xpl_receive(xh_xpl_t *x, uint32_t len, uint32_t now_ms, int32_t *wait_ms);
xh_result xh_xpl_stop(xh_xpl_t *x, uint32_t now_ms, int32_t *wait_ms);

/* The core's state (xpl_query): `which` is XH_XPL_Q_* (xh_xpl_abi.h), `arg` the
 * reason, field or body line for the queries that take one (else 0). */
xh_result xh_xpl_query(xh_xpl_t *x, int32_t which, int32_t arg, int32_t *value);
/* The codec alone (xpl_parse): validates a datagram of len bytes in RX and fills
 * the message view; *reason is 0 or why it was refused. */
xh_result xh_xpl_parse(xh_xpl_t *x, uint32_t len, int32_t *reason);
/* A field of the message view (e.g. in `deliver`): pointer into RX and length. */
xh_result xh_xpl_msg_field(xh_xpl_t *x, int32_t field, const uint8_t **text, uint32_t *len);

/* ---- the delivered message, in `deliver` (docs/abi.md "message view") ----
 * Valid from `deliver` until the next call that parses or stages (receive,
 * restore, set_text, or a message_begin/message_pair below): read what you need
 * first. Texts point into RX and are not NUL-terminated. */

/* Body line index (0 .. XH_XPL_Q_MSG_BODY_COUNT-1): its key and value. */
xh_result xh_xpl_msg_pair(xh_xpl_t *x, int32_t index, const uint8_t **key, uint32_t *key_len,
                          const uint8_t **value, uint32_t *value_len);
/* The value of the first body line whose key is `key` (keys are lower case on the
 * wire); *value is NULL when there is none. */
xh_result xh_xpl_msg_find(xh_xpl_t *x, const char *key, const uint8_t **value, uint32_t *value_len);
/* 1 when text[0..len) is exactly the NUL-terminated s. */
int xh_xpl_text_is(const uint8_t *text, uint32_t len, const char *s);

/* ---- application messages: the core's encoder (xpl_enc_*) and xpl_send ----
 * One message at a time: begin, pairs, send. Its source is the device's own (read
 * from the core each time: a configuration may change the instance), hop 1. The
 * arguments are staged in RX (so a delivered message's view ends at begin). A
 * refused part drops the whole message in the core; the first refusal is kept in
 * x->refusal, later parts are skipped, and send reports it. Engine failures are
 * the xh_result; the core's answers are the outcome. */

/* msgtype: XH_XPL_MSGTYPE_CMND, _STAT or _TRIG; target "*", vendor-device.instance
 * or xpl-group.NAME; schema class.type. */
xh_result xh_xpl_message_begin(xh_xpl_t *x, int32_t msgtype, const char *target, const char *schema);
/* key=value (key 1-16 of a-z 0-9 -, value at most 128 bytes, no control byte). */
xh_result xh_xpl_message_pair(xh_xpl_t *x, const char *key, const char *value);
xh_result xh_xpl_message_pair_bytes(xh_xpl_t *x, const char *key, const uint8_t *value, uint32_t value_len);

/* xh_xpl_message_send outcomes */
#define XH_XPL_SENT        0  /* handed to the host's send, in the call */
#define XH_XPL_NOT_JOINED  1  /* not sent: before its echo a device sends nothing but heartbeats */
#define XH_XPL_REFUSED     2  /* not sent: x->refusal says why (no message begun: BAD_ARGUMENT, NONE) */

/* Ends the message and sends it: *outcome is one of the above. */
xh_result xh_xpl_message_send(xh_xpl_t *x, int32_t *outcome);

#endif /* XH_XPL_H */
