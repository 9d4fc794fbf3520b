/* xh_device.h: the xPL device loop of a real board, over xh_platform.h.
 *
 * Sleeps in xh_udp_receive until a datagram arrives or the core's deadline
 * comes, feeds datagrams into RX (straight from the socket, real length) and
 * ticks at deadlines; on a stop request (or after duration_ms) sends the end
 * heartbeat and returns. Heartbeats go to broadcast_ipv4:xpl_port. It prints
 * (xh_log_line) every state change and every datagram it sends.
 */
#ifndef XH_DEVICE_H
#define XH_DEVICE_H

#include <signal.h>
#include "xh_xpl.h"
#include "xh_platform.h"

struct xh_device;

/* An application on top of the heartbeat device (a sensor, a relay): optional. */
typedef struct xh_device_app {
    void *user;
    /* A message for the application arrived (the core left it in the view). Called
     * by xh_device's loop after xpl_receive returned, never inside a call into the
     * core: may read the view (xh_xpl_msg_*) and send (xh_xpl_message_*) through
     * &d->xpl. Must not block nor call xh_xpl_tick/receive/stop. NULL: none. */
    void (*deliver)(void *user, struct xh_device *d);
    /* The application's own deadline came. Called by xh_device's loop once right
     * after xpl_start, then whenever the wait it last returned has passed; may send
     * through &d->xpl as above, must not block. Returns its next wait in ms (-1:
     * none: it is not called again). NULL: none. */
    int32_t (*due)(void *user, struct xh_device *d, uint64_t now_ms);
} xh_device_app;

typedef struct xh_device_config {
    const uint8_t *wasm;
    uint32_t       wasm_len;
    const char    *source;              /* vendor-device.instance */
    uint8_t        app_mode;            /* 1: behind a hub, on its own port; 0: basic, on the xPL port */
    uint8_t        configurable;
    uint8_t        status_key;
    uint8_t        hears_own_broadcast; /* 1 on Linux; 0 on lwIP */
    uint8_t        restore_config;      /* xh_config_load at start */
    int32_t        interval_min;        /* 0: the core's default (5) */
    uint32_t       bind_ipv4;           /* the interface (XH_IPV4_ANY: all) */
    uint32_t       broadcast_ipv4;      /* where heartbeats go */
    uint16_t       xpl_port;            /* 3865 */
    uint16_t       port;                /* app mode: port to bind (0: ephemeral) */
    const char    *remote_ip;           /* app mode: our address as the hub sees it */
    const char    *version;             /* NULL: none */
    uint64_t       duration_ms;         /* 0: until *stop */
    volatile sig_atomic_t *stop;        /* set by the board (a signal, a button) */
    const xh_device_app   *app;         /* NULL: a heartbeat device only */
    /* Called by the device once, at start, when the stored configuration is not
     * used (unreadable, too long, or refused by the core), before anything can
     * overwrite it: the board keeps it aside. Returns where it went (for the log),
     * or NULL when it could not. NULL: the board keeps nothing. Must not call the core. */
    const char *(*config_set_aside)(void);
} xh_device_config;

typedef struct xh_device {
    xh_xpl_t                xpl;
    xh_xpl_host             host;
    const xh_device_config *cfg;
    xh_udp_t                udp;
    uint16_t                bound_port;
    uint8_t                 udp_open;
    uint8_t                 phase_changed;
    uint8_t                 send_failing;    /* a send failed and none has worked since: logged once */
    int32_t                 phase;
    uint8_t                 core_has_deadline;
    uint8_t                 app_has_deadline;
    uint64_t                core_deadline_ms;
    uint64_t                app_deadline_ms;
    uint8_t                 blob[XH_XPL_DATAGRAM_MAX];
    char                    line[512];   /* the longest: the counters line, 30 reasons */
} xh_device_t;

/* Runs until *cfg->stop or duration_ms; returns after the end heartbeat and one
 * last log line with the core's counters ("counters: accepted N, refused M
 * (by reason code: R=n ...)"). A socket error does not stop it: the schedule
 * goes on, the first error of a run of them is logged, and so is the recovery. */
xh_result xh_device_run(xh_device_t *d, const xh_device_config *cfg);

#endif /* XH_DEVICE_H */
