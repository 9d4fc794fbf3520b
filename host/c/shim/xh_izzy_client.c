/* xh_izzy_client.c: see xh_izzy_client.h. Prints what host/node/izzy/cli.ts prints. */
#include "xh_izzy_client.h"

#include <string.h>
#include "xh_line.h"
#include "xh_loop.h"

static const char xh_err_uuid_outside[] = "izzy client: our UUID (XH_IZZY_Q_UUID_PTR) lies outside the module's memory";

static void xh_uuid_text(xh_line *l, const uint8_t *u)
{
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) xh_line_char(l, '-');
        xh_line_hex(l, u + i, 1);
    }
}

static void xh_client_send(void *user, const uint8_t *data, uint32_t len, uint32_t ipv4, uint16_t port)
{
    xh_izzy_client_t *c = user;
    xh_result e = xh_udp_send(c->udp, data, len, ipv4, port);
    if (e) {
        xh_line l;
        xh_line_init(&l, c->line, sizeof c->line);
        xh_line_str(&l, "izzy client: ");
        xh_line_str(&l, e);
        xh_log_line(c->line);
    }
}

static void xh_client_event(void *user, int32_t code, int32_t value)
{
    static const char *const names[] = {
        "", "MOTHER_CHANGED", "MOTHER_MOVED", "ESTOP", "HEARTBEAT_BACK", "REARMED",
        "CLIENT_NEW", "CLIENT_CONNECTED", "CLIENT_MISSING", "CLIENT_BACK", "HEARTBEAT_LOST",
    };
    xh_izzy_client_t *c = user;
    xh_line l;
    xh_line_init(&l, c->line, sizeof c->line);
    switch (code) {
    case XH_IZZY_EV_MOTHER_CHANGED: xh_line_str(&l, "mother changed: now at "); xh_line_ipv4(&l, (uint32_t)value); break;
    case XH_IZZY_EV_MOTHER_MOVED:   xh_line_str(&l, "mother moved to "); xh_line_ipv4(&l, (uint32_t)value); break;
    case XH_IZZY_EV_ESTOP:
        xh_line_str(&l, value == 1 ? "ESTOP (heartbeat lost): stop" : "ESTOP (ESTOP from Mother): stop");
        break;
    case XH_IZZY_EV_HEARTBEAT_BACK: xh_line_str(&l, "heartbeat back; still in ESTOP until re-armed ('rearm')"); break;
    case XH_IZZY_EV_REARMED:        xh_line_str(&l, "re-armed"); break;
    case XH_IZZY_EV_HEARTBEAT_LOST: xh_line_str(&l, "heartbeat lost again"); break;
    default:
        if (code > 0 && code < (int32_t)XH_COUNT(names)) xh_line_str(&l, names[code]);
        else xh_line_i64(&l, code);
        xh_line_char(&l, ' ');
        xh_line_i64(&l, value);
    }
    xh_log_line(c->line);
}

static xh_result xh_client_check(xh_result e, int32_t reason, const char *what)
{
    return e ? e : reason ? what : xh_ok;
}

static xh_result xh_client_setup(xh_izzy_client_t *c)
{
    const xh_izzy_client_config *cfg = c->cfg;
    xh_izzy_t *z = &c->izzy;
    xh_result e;
    int32_t r = 0;
    c->host.user = c;
    c->host.send = xh_client_send;
    c->host.event = xh_client_event;
    if ((e = xh_izzy_load(z, cfg->wasm, cfg->wasm_len, &c->host))) return e;
    if (cfg->uuid) {
        memcpy(z->rx, cfg->uuid, 16);
        if ((e = xh_client_check(xh_izzy_call(z, XH_IZZY_SET_UUID, &r, 0, 0, 0, 0), r, "--uuid: nil UUID refused"))) return e;
    }
    if (cfg->timeout_ms &&
        (e = xh_client_check(xh_izzy_call(z, XH_IZZY_SET_TIMEOUT, &r, cfg->timeout_ms, 0, 0, 0), r, "--timeout-ms refused"))) return e;
    if ((e = xh_client_check(xh_izzy_call(z, XH_IZZY_SET_PORTS, &r, cfg->mother_port, 9001, 0, 0), r,
                             "bad ports"))) return e;
    uint32_t name_len = (uint32_t)strlen(cfg->name);
    if (name_len > XH_IZZY_BUFFER_BYTES) return "--name: at most 32 bytes";
    memcpy(z->rx, cfg->name, name_len);
    if ((e = xh_izzy_call(z, XH_IZZY_SET_NAME, &r, (int32_t)name_len, 0, 0, 0))) return e;
    if (r) return r == 9 ? "--name: must not contain ','" : "--name: at most 32 bytes";
    if (cfg->status &&
        (e = xh_client_check(xh_izzy_call(z, XH_IZZY_SET_STATUS, &r, cfg->status, 0, 0, 0), r, "--status: expected 1..6"))) return e;
    if ((e = xh_izzy_call(z, XH_IZZY_SET_POSITION, NULL, cfg->x, cfg->y, cfg->z, 0))) return e;
    if ((e = xh_izzy_call(z, XH_IZZY_SET_HEADING, NULL, cfg->heading, 0, 0, 0))) return e;
    if ((e = xh_izzy_call(z, XH_IZZY_SET_SPEED, NULL, cfg->speed, 0, 0, 0))) return e;
    uint16_t port = cfg->port;
    if ((e = xh_udp_open(&c->udp, cfg->bind_ipv4, &port, XH_UDP_REUSE))) return e;
    c->udp_open = 1;
    c->bound_port = port;
    return xh_ok;
}

/* ---- the loop (xh_loop): datagrams and deadlines into the module ---- */

static xh_result xh_client_datagram(void *user, uint32_t len, uint32_t from_ipv4, uint16_t from_port,
                                    uint64_t now_ms, int32_t *wait_ms)
{
    xh_izzy_client_t *c = user;
    return xh_izzy_call(&c->izzy, XH_IZZY_RECEIVE, wait_ms, (int32_t)len, (int32_t)(uint32_t)now_ms,
                        (int32_t)from_ipv4, from_port);
}

static xh_result xh_client_deadline(void *user, uint64_t now_ms, int32_t *wait_ms)
{
    xh_izzy_client_t *c = user;
    return xh_izzy_call(&c->izzy, XH_IZZY_TICK, wait_ms, (int32_t)(uint32_t)now_ms, 0, 0, 0);
}

static xh_result xh_client_loop(xh_izzy_client_t *c)
{
    const xh_izzy_client_config *cfg = c->cfg;
    xh_izzy_t *z = &c->izzy;
    uint64_t now_ms = xh_now_ms();
    int32_t wait_ms = -1, uuid_ptr = 0;
    xh_result e = xh_izzy_call(z, XH_IZZY_START, &wait_ms, XH_IZZY_ROLE_CLIENT, (int32_t)(uint32_t)now_ms,
                               (int32_t)xh_random_seed(), 0);
    if (e) return e;
    if ((e = xh_izzy_query(z, XH_IZZY_Q_UUID_PTR, 0, &uuid_ptr))) return e;
    const uint8_t *uuid = xh_izzy_mem(z, uuid_ptr, 16);
    if (!uuid) return xh_err_uuid_outside;
    xh_line l;
    xh_line_init(&l, c->line, sizeof c->line);
    xh_line_str(&l, "izzy client ");
    xh_uuid_text(&l, uuid);
    xh_line_str(&l, " \"");
    xh_line_str(&l, cfg->name);
    xh_line_str(&l, "\" on port ");
    xh_line_u64(&l, c->bound_port);
    xh_line_str(&l, ", waiting for HELLO");
    xh_log_line(c->line);

    const xh_loop_t loop = {
        .udp = c->udp, .rx = z->rx, .rx_capacity = XH_IZZY_BUFFER_BYTES,
        .duration_ms = cfg->duration_ms, .stop = cfg->stop,
        .datagram = xh_client_datagram, .deadline = xh_client_deadline, .user = c,
    };
    xh_loop_end end;
    return xh_loop_run(&loop, now_ms, wait_ms, &end);
}

xh_result xh_izzy_client_run(xh_izzy_client_t *c, const xh_izzy_client_config *cfg)
{
    XH_ASSERT(c && cfg && cfg->wasm && cfg->name);
    memset(c, 0, sizeof *c);
    c->cfg = cfg;
    xh_result e = xh_client_setup(c);
    if (!e) e = xh_client_loop(c);
    xh_izzy_free(&c->izzy);
    if (c->udp_open) xh_udp_close(c->udp);
    c->udp_open = 0;
    return e;
}
