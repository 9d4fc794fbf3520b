/* xh_izzy.h: the izzy heartbeat module (build/izzy.wasm) through its ABI
 * (docs/izzy-abi.md), over xh_core. The same loader as the xPL core, another
 * import table: izzy_send v(iiii) and izzy_event v(ii).
 *
 * Imports are called only inside izzy_start, izzy_tick, izzy_receive and
 * izzy_rearm, events first, then at most one datagram; the callbacks get them
 * at once (TX is valid during the send callback only).
 */
#ifndef XH_IZZY_H
#define XH_IZZY_H

#include "xh_core.h"
#include "xh_izzy_abi.h"   /* generated: reasons, events, roles, states */

/* XH_IZZY_BUFFER_BYTES (RX and TX) and XH_IZZY_MEMORY_LIMIT_BYTES: in xh_izzy_abi.h. */
#ifndef XH_IZZY_STACK_BYTES
#define XH_IZZY_STACK_BYTES 1024u
#endif

/* Exports that act, by the name of docs/izzy-abi.md without "izzy_": called with
 * xh_izzy_call. The module's state is read with xh_izzy_query (XH_IZZY_Q_*). */
typedef enum {
    XH_IZZY_SET_UUID, XH_IZZY_SET_INTERVAL, XH_IZZY_SET_TIMEOUT, XH_IZZY_SET_PORTS,
    XH_IZZY_START, XH_IZZY_TICK, XH_IZZY_RECEIVE,
    XH_IZZY_SET_NAME, XH_IZZY_SET_STATUS, XH_IZZY_SET_POSITION, XH_IZZY_SET_HEADING, XH_IZZY_SET_SPEED,
    XH_IZZY_REARM, XH_IZZY_TABLE_FIELD,
    XH_IZZY_FN_COUNT
} xh_izzy_fn;

typedef struct xh_izzy_host {
    void *user;
    /* izzy_send. Called by the module from inside izzy_start/tick/receive/rearm, at
     * most once a call and after its events: must not call the module; data is
     * valid during the call only. Send data[0..len) to ipv4:port
     * (XH_IPV4_BROADCAST 0xffffffff: the broadcast address). NULL: dropped. */
    void (*send)(void *user, const uint8_t *data, uint32_t len, uint32_t ipv4, uint16_t port);
    /* izzy_event. Called by the module from inside the same calls, before any send:
     * must not call the module nor block. XH_IZZY_EV_* and its value. */
    void (*event)(void *user, int32_t code, int32_t value);
} xh_izzy_host;

typedef struct xh_izzy {
    xh_core_t           core;
    const xh_izzy_host *host;
    uint8_t            *rx;
    xh_fn               fn[XH_IZZY_FN_COUNT];
    xh_fn               fn_query;    /* izzy_query i(ii) */
} xh_izzy_t;

xh_result xh_izzy_load(xh_izzy_t *z, const uint8_t *wasm, uint32_t wasm_len, const xh_izzy_host *host);
void      xh_izzy_free(xh_izzy_t *z);

/* Calls an export with its arguments (unused ones ignored); *ret gets its result
 * when it has one and ret is not NULL. */
xh_result xh_izzy_call(xh_izzy_t *z, xh_izzy_fn f, int32_t *ret, int32_t a0, int32_t a1, int32_t a2, int32_t a3);

/* The module's state (izzy_query): `which` is XH_IZZY_Q_* (xh_izzy_abi.h), `arg`
 * the reason, field or slot for the queries that take one (else 0). */
xh_result xh_izzy_query(xh_izzy_t *z, int32_t which, int32_t arg, int32_t *value);

/* Bytes of the module's memory at an address it returned (e.g. XH_IZZY_Q_UUID_PTR), or NULL. */
const uint8_t *xh_izzy_mem(xh_izzy_t *z, int32_t ptr, uint32_t len);

#endif /* XH_IZZY_H */
