/* xh_device.c: see xh_device.h. */
#include "xh_device.h"

#include <string.h>
#include "xh_line.h"
#include "xh_loop.h"

static const char *const xh_phase_names[] = {
    "idle", "discovery (every 3-10 s)", "discovery (every 30 s)", "joined (every interval)", "stopped"
};

static const char *xh_phase_name(int32_t phase)
{
    return phase >= 0 && phase < (int32_t)XH_COUNT(xh_phase_names) ? xh_phase_names[phase] : "?";
}

static void xh_log_text(xh_device_t *d, const char *a, const char *b)
{
    xh_line l;
    xh_line_init(&l, d->line, sizeof d->line);
    xh_line_str(&l, a);
    if (b) xh_line_str(&l, b);
    xh_log_line(d->line);
}

/* "xpl-stat\n{\n...}\nhbeat.app\n{..." -> msgtype and schema, for the log. */
static void xh_describe(xh_line *l, const uint8_t *m, uint32_t len)
{
    uint32_t i = 0;
    while (i < len && m[i] != '\n') i++;
    xh_line_bytes(l, m, i);
    for (; i + 2 < len; i++) {
        if (m[i] == '\n' && m[i + 1] == '}' && m[i + 2] == '\n') {
            uint32_t s = i + 3, e = s;
            while (e < len && m[e] != '\n') e++;
            xh_line_char(l, ' ');
            xh_line_bytes(l, m + s, e - s);
            return;
        }
    }
}

/* ---- what the core calls ---- */

static void xh_device_send(void *user, const uint8_t *data, uint32_t len)
{
    xh_device_t *d = user;
    xh_result e = xh_udp_send(d->udp, data, len, d->cfg->broadcast_ipv4, d->cfg->xpl_port);
    /* A network that is down fails every send: say so once, and when it is back. */
    if (e && d->send_failing) return;
    xh_line l;
    xh_line_init(&l, d->line, sizeof d->line);
    xh_line_str(&l, e ? "send FAILED (not logged again until a send works) " : d->send_failing ? "send works again: " : "send ");
    d->send_failing = e != xh_ok;
    xh_describe(&l, data, len);
    xh_line_str(&l, ", ");
    xh_line_u64(&l, len);
    xh_line_str(&l, " bytes to ");
    xh_line_ipv4(&l, d->cfg->broadcast_ipv4);
    xh_line_char(&l, ':');
    xh_line_u64(&l, d->cfg->xpl_port);
    if (e) { xh_line_str(&l, ": "); xh_line_str(&l, e); }
    xh_log_line(d->line);
}

/* The delivered message, on one line of the log. */
static void xh_device_log_message(xh_device_t *d, xh_xpl_t *x)
{
    xh_line l;
    xh_line_init(&l, d->line, sizeof d->line);
    xh_line_str(&l, "message ");
    static const int32_t fields[] = { XH_XPL_FIELD_MSGTYPE, XH_XPL_FIELD_SOURCE, XH_XPL_FIELD_TARGET, XH_XPL_FIELD_SCHEMA };
    for (unsigned i = 0; i < XH_COUNT(fields); i++) {
        const uint8_t *text;
        uint32_t len;
        if (xh_xpl_msg_field(x, fields[i], &text, &len)) return;
        if (i) xh_line_str(&l, i == 2 ? " -> " : " ");
        xh_line_bytes(&l, text, len);
    }
    int32_t count = 0;
    if (xh_xpl_query(x, XH_XPL_Q_MSG_BODY_COUNT, 0, &count)) return;
    for (int32_t i = 0; i < count; i++) {
        int32_t ko, kl, vo, vl;
        if (xh_xpl_query(x, XH_XPL_Q_MSG_KEY_OFFSET, i, &ko) || xh_xpl_query(x, XH_XPL_Q_MSG_KEY_LENGTH, i, &kl) ||
            xh_xpl_query(x, XH_XPL_Q_MSG_VALUE_OFFSET, i, &vo) || xh_xpl_query(x, XH_XPL_Q_MSG_VALUE_LENGTH, i, &vl)) return;
        xh_line_str(&l, i ? " " : " {");
        xh_line_bytes(&l, x->rx + ko, (size_t)kl);
        xh_line_char(&l, '=');
        xh_line_bytes(&l, x->rx + vo, (size_t)vl);
    }
    if (count) xh_line_char(&l, '}');
    xh_log_line(d->line);
}

static void xh_device_deliver(void *user, xh_xpl_t *x)
{
    xh_device_t *d = user;
    xh_device_log_message(d, x);
    if (d->cfg->app && d->cfg->app->deliver) d->cfg->app->deliver(d->cfg->app->user, d);
}

static int32_t xh_device_store(void *user, const uint8_t *blob, uint32_t len)
{
    xh_device_t *d = user;
    xh_result e = xh_config_store(blob, len);
    xh_log_text(d, e ? "config NOT stored: " : "config stored", e);
    return e ? 1 : 0;
}

/* The one line of a stored configuration not used: why, and where the file went. */
static void xh_device_config_refused(xh_device_t *d, const char *why)
{
    const char *aside = d->cfg->config_set_aside ? d->cfg->config_set_aside() : NULL;
    char text[sizeof d->line];
    xh_line l;
    xh_line_init(&l, text, sizeof text);
    xh_line_str(&l, why);
    xh_line_str(&l, ": starting from the defaults");
    if (aside) { xh_line_str(&l, ", the file kept as "); xh_line_str(&l, aside); }
    xh_log_line(text);
}

static void xh_device_log(void *user, int32_t event, int32_t value)
{
    xh_device_t *d = user;
    xh_line l;
    xh_line_init(&l, d->line, sizeof d->line);
    switch (event) {
    case XH_XPL_EV_PHASE:
        d->phase = value;
        d->phase_changed = 1;
        return;   /* printed after the call, with the next deadline */
    case XH_XPL_EV_STATUS:
        xh_line_str(&l, "status ");
        xh_line_i64(&l, value);
        /* Words that match the state: a basic device joins (it needs no hub); a stopped one is stopped. */
        xh_line_str(&l, value == 0 ? (d->phase == 4 ? " (stopped)" : d->cfg->app_mode ? " (no hub)" : " (not joined)") :
                        d->cfg->app_mode ? (value == 1 ? " (hub found, waiting for config)" : " (hub found, configured)")
                                         : (value == 1 ? " (joined, waiting for config)" : " (joined, configured)"));
        break;
    case XH_XPL_EV_ECHO:
        xh_line_str(&l, !value ? "echo" : d->cfg->app_mode ? "hub found: our heartbeat came back"
                                                            : "joined: heard our own heartbeat");
        break;
    case XH_XPL_EV_HUB_LOST:
        xh_line_str(&l, "hub lost (");
        xh_line_i64(&l, value);
        xh_line_str(&l, " echoes missed): discovery again");
        break;
    case XH_XPL_EV_REQUEST:
        xh_line_str(&l, "hbeat.request: answer in ");
        xh_line_i64(&l, value);
        xh_line_str(&l, " ms");
        break;
    case XH_XPL_EV_CONFIG_APPLIED:
        xh_line_str(&l, value ? "configuration applied (new identity)" : "configuration applied");
        break;
    case XH_XPL_EV_CONFIG_REFUSED:
        xh_line_str(&l, "configuration refused at body line ");
        xh_line_i64(&l, value);
        break;
    case XH_XPL_EV_STORE_FAILED:
        xh_line_str(&l, "storing the configuration failed: ");
        xh_line_i64(&l, value);
        break;
    case XH_XPL_EV_CONFIG_RESTORED:
        if (value) {
            xh_line_str(&l, "stored configuration not used, reason ");
            xh_line_i64(&l, value);
            xh_device_config_refused(d, d->line);
            return;
        }
        xh_line_str(&l, "stored configuration restored");
        break;
    case XH_XPL_EV_REPLY_CANCELLED:
        xh_line_str(&l, "hbeat.request answer cancelled: a heartbeat went out first");
        break;
    default:
        xh_line_str(&l, "event ");
        xh_line_i64(&l, event);
        xh_line_char(&l, ' ');
        xh_line_i64(&l, value);
    }
    xh_log_line(d->line);
}

/* ---- set-up ---- */

static xh_result xh_device_text(xh_device_t *d, int32_t which, const char *text)
{
    int32_t reason = 0;
    xh_result e = xh_xpl_set_text(&d->xpl, which, text, (uint32_t)strlen(text), &reason);
    if (e) return e;
    if (reason) {
        return which == XH_XPL_TEXT_SOURCE ? "the core refused the source (expected vendor-device.instance: "
                                              "vendor 1-8, device 1-8, instance 1-16 of a-z 0-9 -)" :
               which == XH_XPL_TEXT_REMOTE_IP ? "the core refused the remote-ip" : "the core refused the version";
    }
    return xh_ok;
}

static xh_result xh_device_int(xh_device_t *d, int32_t which, int32_t value)
{
    int32_t reason = 0;
    xh_result e = xh_xpl_set_int(&d->xpl, which, value, &reason);
    if (e) return e;
    return reason ? "the core refused a setting (interval 1..30?)" : xh_ok;
}

static xh_result xh_device_setup(xh_device_t *d)
{
    const xh_device_config *c = d->cfg;
    xh_result e;
    uint16_t port = c->app_mode ? c->port : c->xpl_port;
    /* Basic mode owns the xPL port: on one interface it must still hear that interface's broadcasts. */
    unsigned flags = XH_UDP_BROADCAST | (c->app_mode ? 0u : XH_UDP_REUSE | XH_UDP_HEAR_BROADCASTS);
    if ((e = xh_udp_open(&d->udp, c->bind_ipv4, &port, flags))) return e;
    d->udp_open = 1;
    d->bound_port = port;

    d->host.user = d;
    d->host.send = xh_device_send;
    d->host.deliver = xh_device_deliver;
    d->host.store_config = xh_device_store;
    d->host.log = xh_device_log;
    if ((e = xh_xpl_load(&d->xpl, c->wasm, c->wasm_len, &d->host))) return e;
    if ((e = xh_device_text(d, XH_XPL_TEXT_SOURCE, c->source))) return e;
    if ((e = xh_device_int(d, XH_XPL_INT_MODE, c->app_mode))) return e;
    if (c->interval_min && (e = xh_device_int(d, XH_XPL_INT_INTERVAL, c->interval_min))) return e;
    if (c->app_mode) {
        if ((e = xh_device_int(d, XH_XPL_INT_PORT, port))) return e;
        if (c->remote_ip && (e = xh_device_text(d, XH_XPL_TEXT_REMOTE_IP, c->remote_ip))) return e;
    }
    if (c->version && (e = xh_device_text(d, XH_XPL_TEXT_VERSION, c->version))) return e;
    if ((e = xh_device_int(d, XH_XPL_INT_CONFIGURABLE, c->configurable))) return e;
    if ((e = xh_device_int(d, XH_XPL_INT_STATUS_KEY, c->status_key))) return e;
    if ((e = xh_device_int(d, XH_XPL_INT_HEARS_OWN_BROADCAST, c->hears_own_broadcast))) return e;
    if (c->restore_config) {
        int32_t len = xh_config_load(d->blob, sizeof d->blob);
        if (len < 0) xh_device_config_refused(d, "stored configuration unreadable, empty or too long");
        int32_t reason;
        if (len > 0 && (e = xh_xpl_restore(&d->xpl, d->blob, (uint32_t)len, &reason))) return e;
    }

    xh_line l;
    xh_line_init(&l, d->line, sizeof d->line);
    /* The identity the device really uses (a restored configuration may have changed it). */
    int32_t source_ptr = 0, source_len = 0;
    if ((e = xh_xpl_query(&d->xpl, XH_XPL_Q_SOURCE, 0, &source_ptr)) ||
        (e = xh_xpl_query(&d->xpl, XH_XPL_Q_SOURCE_LENGTH, 0, &source_len))) return e;
    const uint8_t *source = xh_core_mem(&d->xpl.core, (uint32_t)source_ptr, (uint32_t)source_len);
    if (!source || source_len <= 0) return "the core's source is out of its memory";
    xh_line_str(&l, "xpl device ");
    xh_line_bytes(&l, source, (size_t)source_len);
    xh_line_str(&l, c->app_mode ? " (app mode) on " : " (basic mode) on ");
    xh_line_ipv4(&l, c->bind_ipv4);
    xh_line_char(&l, ':');
    xh_line_u64(&l, port);
    xh_line_str(&l, ", heartbeats to ");
    xh_line_ipv4(&l, c->broadcast_ipv4);
    xh_line_char(&l, ':');
    xh_line_u64(&l, c->xpl_port);
    if (c->app_mode && c->remote_ip) { xh_line_str(&l, ", remote-ip "); xh_line_str(&l, c->remote_ip); }
    xh_log_line(d->line);
    return xh_ok;
}

/* After each call: a new phase is printed with the deadline the core gave. */
static void xh_device_report(xh_device_t *d, int32_t wait_ms)
{
    if (!d->phase_changed) return;
    d->phase_changed = 0;
    xh_line l;
    xh_line_init(&l, d->line, sizeof d->line);
    xh_line_str(&l, "phase ");
    xh_line_str(&l, xh_phase_name(d->phase));
    if (wait_ms >= 0) {
        xh_line_str(&l, ", next heartbeat in ");
        xh_line_i64(&l, wait_ms);
        xh_line_str(&l, " ms");
    }
    xh_log_line(d->line);
}

/* "counters: accepted N, refused M", then " (by reason code: R=n ...)" when M > 0:
 * what the core counted. */
static xh_result xh_device_counters(xh_device_t *d)
{
    int32_t accepted = 0, count[XH_XPL_REASON_COUNT] = { 0 };
    uint64_t refused = 0;
    xh_result e = xh_xpl_query(&d->xpl, XH_XPL_Q_ACCEPT_COUNT, 0, &accepted);
    for (int32_t r = 1; r < XH_XPL_REASON_COUNT && !e; r++) {
        e = xh_xpl_query(&d->xpl, XH_XPL_Q_REJECT_COUNT, r, &count[r]);
        refused += (uint32_t)count[r];
    }
    if (e) return e;
    xh_line l;
    xh_line_init(&l, d->line, sizeof d->line);
    xh_line_str(&l, "counters: accepted ");
    xh_line_u64(&l, (uint32_t)accepted);
    xh_line_str(&l, ", refused ");
    xh_line_u64(&l, refused);
    if (refused > 0) {
        xh_line_str(&l, " (by reason code:");
        for (int32_t r = 1; r < XH_XPL_REASON_COUNT; r++) {
            if (!count[r]) continue;
            xh_line_char(&l, ' ');
            xh_line_i64(&l, r);
            xh_line_char(&l, '=');
            xh_line_u64(&l, (uint32_t)count[r]);
        }
        xh_line_char(&l, ')');
    }
    xh_log_line(d->line);
    return xh_ok;
}


/* ---- the loop (xh_loop): datagrams and deadlines into the core and the app ---- */

static void xh_device_arm(uint8_t *has, uint64_t *deadline_ms, uint64_t now_ms, int32_t wait_ms)
{
    *has = wait_ms >= 0;
    if (*has) *deadline_ms = now_ms + (uint64_t)wait_ms;
}

/* The wait until the earlier of the core's and the application's deadlines. */
static int32_t xh_device_wait(const xh_device_t *d, uint64_t now_ms)
{
    uint8_t has = 0;
    uint64_t until_ms = 0;
    if (d->core_has_deadline) { has = 1; until_ms = d->core_deadline_ms; }
    if (d->app_has_deadline && (!has || d->app_deadline_ms < until_ms)) { has = 1; until_ms = d->app_deadline_ms; }
    if (!has) return -1;
    uint64_t left_ms = until_ms > now_ms ? until_ms - now_ms : 0;
    return left_ms > 0x7fffffffu ? 0x7fffffff : (int32_t)left_ms;
}

static void xh_device_app_due(xh_device_t *d, uint64_t now_ms)
{
    const xh_device_app *app = d->cfg->app;
    if (!app || !app->due) return;
    int32_t wait_ms = app->due(app->user, d, now_ms);
    xh_device_arm(&d->app_has_deadline, &d->app_deadline_ms, now_ms, wait_ms);
}

static xh_result xh_device_datagram(void *user, uint32_t len, uint32_t from_ipv4, uint16_t from_port,
                                    uint64_t now_ms, int32_t *wait_ms)
{
    (void)from_ipv4;
    (void)from_port;
    xh_device_t *d = user;
    int32_t core_wait_ms = -1;
    xh_result e = xh_xpl_receive(&d->xpl, len, (uint32_t)now_ms, &core_wait_ms);
    if (e) return e;
    xh_device_report(d, core_wait_ms);
    xh_device_arm(&d->core_has_deadline, &d->core_deadline_ms, now_ms, core_wait_ms);
    *wait_ms = xh_device_wait(d, now_ms);
    return xh_ok;
}

static xh_result xh_device_deadline(void *user, uint64_t now_ms, int32_t *wait_ms)
{
    xh_device_t *d = user;
    if (d->core_has_deadline && now_ms >= d->core_deadline_ms) {
        int32_t core_wait_ms = -1;
        xh_result e = xh_xpl_tick(&d->xpl, (uint32_t)now_ms, &core_wait_ms);
        if (e) return e;
        xh_device_report(d, core_wait_ms);
        xh_device_arm(&d->core_has_deadline, &d->core_deadline_ms, now_ms, core_wait_ms);
    }
    if (d->app_has_deadline && now_ms >= d->app_deadline_ms) xh_device_app_due(d, now_ms);
    *wait_ms = xh_device_wait(d, now_ms);
    return xh_ok;
}

static xh_result xh_device_loop(xh_device_t *d)
{
    const xh_device_config *c = d->cfg;
    uint64_t now_ms = xh_now_ms();
    int32_t wait_ms = -1;
    xh_result e = xh_xpl_start(&d->xpl, (uint32_t)now_ms, xh_random_seed(), &wait_ms);
    if (e) return e;
    xh_device_report(d, wait_ms);
    xh_device_arm(&d->core_has_deadline, &d->core_deadline_ms, now_ms, wait_ms);
    xh_device_app_due(d, now_ms);
    const xh_loop_t loop = {
        .udp = d->udp, .rx = d->xpl.rx, .rx_capacity = XH_XPL_DATAGRAM_MAX,
        .duration_ms = c->duration_ms, .stop = c->stop,
        .datagram = xh_device_datagram, .deadline = xh_device_deadline, .user = d,
    };
    xh_loop_end end = XH_LOOP_STOPPED;
    if ((e = xh_loop_run(&loop, now_ms, xh_device_wait(d, now_ms), &end))) return e;
    xh_log_text(d, end == XH_LOOP_STOPPED ? "stopping: end heartbeat" : "duration over: end heartbeat", NULL);
    if ((e = xh_xpl_stop(&d->xpl, (uint32_t)xh_now_ms(), &wait_ms))) return e;
    xh_device_report(d, wait_ms);
    return xh_device_counters(d);
}

xh_result xh_device_run(xh_device_t *d, const xh_device_config *cfg)
{
    XH_ASSERT(d && cfg && cfg->wasm && cfg->source);
    memset(d, 0, sizeof *d);
    d->cfg = cfg;
    d->phase = -1;
    xh_result e = xh_device_setup(d);
    if (!e) e = xh_device_loop(d);
    xh_xpl_free(&d->xpl);
    if (d->udp_open) xh_udp_close(d->udp);
    d->udp_open = 0;
    return e;
}
