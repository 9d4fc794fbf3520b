/* xh_izzy_client.h: an izzy client on a real board, over xh_platform.h: answers
 * the Mother's HELLO with HERE, enters ESTOP when the heartbeat stops (the
 * module decides; this loop only feeds it time and datagrams). */
#ifndef XH_IZZY_CLIENT_H
#define XH_IZZY_CLIENT_H

#include <signal.h>
#include "xh_izzy.h"
#include "xh_platform.h"

typedef struct xh_izzy_client_config {
    const uint8_t *wasm;
    uint32_t       wasm_len;
    const char    *name;
    int32_t        status;          /* 1..6, 0: the module's default */
    int32_t        x, y, z, heading, speed;
    int32_t        timeout_ms;      /* 0: the module's default (3000) */
    uint32_t       bind_ipv4;
    uint16_t       port;            /* HELLO arrives here (9001) */
    uint16_t       mother_port;     /* HERE goes there on the Mother (9000) */
    const uint8_t *uuid;            /* 16 bytes, or NULL: derived from the seed */
    uint64_t       duration_ms;     /* 0: until *stop */
    volatile sig_atomic_t *stop;
} xh_izzy_client_config;

typedef struct xh_izzy_client {
    xh_izzy_t                    izzy;
    xh_izzy_host                 host;
    const xh_izzy_client_config *cfg;
    xh_udp_t                     udp;
    uint16_t                     bound_port;
    uint8_t                      udp_open;
    char                         line[160];
} xh_izzy_client_t;

xh_result xh_izzy_client_run(xh_izzy_client_t *c, const xh_izzy_client_config *cfg);

#endif /* XH_IZZY_CLIENT_H */
