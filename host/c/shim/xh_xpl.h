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
 * not an import: after xpl_receive returns, xh_xpl asks xpl_delivered() and hands
 * the message to `deliver`, which may read the view with more calls.
 */
#ifndef XH_XPL_H
#define XH_XPL_H

#include "xh_core.h"
#include "xh_xpl_abi.h"   /* generated: reasons, events, phases, fields, settings */

#define XH_XPL_DATAGRAM_MAX 1500u   /* RX and TX */
/* Linear memory wasm3 allocates: mem_static_top() rounded up (checked at load). */
#ifndef XH_XPL_MEMORY_LIMIT_BYTES
#define XH_XPL_MEMORY_LIMIT_BYTES 8192u
#endif
/* wasm3 value stack: the core's call chains are shallow (measured: see README). */
#ifndef XH_XPL_STACK_BYTES
#define XH_XPL_STACK_BYTES 1024u
#endif
/* Compile every function at load: all of wasm3's allocation happens at start. */
#ifndef XH_COMPILE_ALL
#define XH_COMPILE_ALL 1
#endif

/* What store_config gives the core when the host has none: not stored (the core
 * logs XH_XPL_EV_STORE_FAILED with it). Distinct from a failed write (1). */
#define XH_XPL_STORE_NONE (-1)

/* Exports of at most one argument and one result: xh_xpl_query(x, q, arg, &value). */
typedef enum {
    XH_XPL_Q_PHASE, XH_XPL_Q_STATUS, XH_XPL_Q_INTERVAL, XH_XPL_Q_SOURCE, XH_XPL_Q_SOURCE_LENGTH,
    XH_XPL_Q_ACCEPT_COUNT, XH_XPL_Q_REJECT_COUNT /* arg: reason */,
    XH_XPL_Q_MSG_TYPE, XH_XPL_Q_MSG_FIELD_OFFSET /* arg: field */, XH_XPL_Q_MSG_FIELD_LENGTH,
    XH_XPL_Q_MSG_BODY_COUNT, XH_XPL_Q_MSG_KEY_OFFSET /* arg: line */, XH_XPL_Q_MSG_KEY_LENGTH,
    XH_XPL_Q_MSG_VALUE_OFFSET, XH_XPL_Q_MSG_VALUE_LENGTH, XH_XPL_Q_MSG_HOP, XH_XPL_Q_MSG_TARGET_KIND,
    XH_XPL_Q_STATIC_TOP, XH_XPL_Q_TX_LENGTH,
    XH_XPL_Q_PARSE /* arg: length; the codec alone: validates RX, fills the message view */,
    XH_XPL_Q_COUNT
} xh_xpl_query_t;

struct xh_xpl;

typedef struct xh_xpl_host {
    void   *user;
    /* env.send: broadcast data[0..len) to the xPL port. */
    void    (*send)(void *user, const uint8_t *data, uint32_t len);
    /* After xh_xpl_receive, when the core left a message for the application: the
     * message view is valid; may call xh_xpl_query / xh_xpl_msg_field. */
    void    (*deliver)(void *user, struct xh_xpl *x);
    /* env.store_config: persist whole or not at all; 0 on success. NULL: this host
     * keeps no configuration; the core is told XH_XPL_STORE_NONE (not stored). */
    int32_t (*store_config)(void *user, const uint8_t *blob, uint32_t len);
    /* env.log */
    void    (*log)(void *user, int32_t event, int32_t value);
} xh_xpl_host;

typedef struct xh_xpl {
    xh_core_t           core;
    const xh_xpl_host  *host;
    uint8_t            *rx;          /* RX: XH_XPL_DATAGRAM_MAX bytes in linear memory */
    uint8_t            *tx;
    uint32_t            rx_offset;
    uint32_t            static_top;  /* mem_static_top() */
    xh_fn               fn_set_text, fn_set_int, fn_restore, fn_start, fn_tick, fn_receive, fn_stop, fn_delivered;
    xh_fn               fn_query[XH_XPL_Q_COUNT];
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

xh_result xh_xpl_query(xh_xpl_t *x, xh_xpl_query_t q, int32_t arg, int32_t *value);
/* A field of the message view (e.g. in `deliver`): pointer into RX and length. */
xh_result xh_xpl_msg_field(xh_xpl_t *x, int32_t field, const uint8_t **text, uint32_t *len);

#endif /* XH_XPL_H */
