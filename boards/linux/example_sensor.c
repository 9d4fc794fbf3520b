/* example_sensor.c: see example_sensor.h. */
#include "example_sensor.h"

#include <stdio.h>
#include <string.h>

#include "xh_line.h"

const char xh_sensor_help[] =
    "  --example sensor      also be an xPL sensor: sensor.basic trig messages, answers sensor.request\n"
    "  --sensor-name NAME    device= of its messages (default sensor1)\n"
    "  --sensor-file PATH    the value: the first line of PATH, read at each reading (default: a counter)\n"
    "  --sensor-every-s N    a reading every N seconds, 1..86400 (default 60)\n"
    "  --sensor-count N      at most N periodic readings (default: no limit)\n";

static const char *const xh_reason_names[] = { XH_XPL_REASON_NAMES };
static const char *const xh_enc_names[] = { XH_XPL_ENC_NAMES };

void xh_sensor_init(xh_sensor_t *s)
{
    memset(s, 0, sizeof *s);
    s->name = "sensor1";
    s->every_ms = 60000u;
}

int xh_sensor_option(xh_sensor_t *s, xh_args *a, const char *opt)
{
    if (!strcmp(opt, "--example")) {
        const char *v = xh_args_value(a, opt);
        if (strcmp(v, "sensor") != 0) xh_args_fail(a, "the only example is 'sensor'", opt, v);
        s->enabled = 1;
    }
    else if (!strcmp(opt, "--sensor-name"))    s->name = xh_args_value(a, opt);
    else if (!strcmp(opt, "--sensor-file"))    s->file = xh_args_value(a, opt);
    else if (!strcmp(opt, "--sensor-every-s")) s->every_ms = (uint32_t)xh_args_int(a, opt, 1, 86400) * 1000u;
    else if (!strcmp(opt, "--sensor-count"))   s->count_max = (uint32_t)xh_args_int(a, opt, 1, 1000000);
    else return 0;
    return 1;
}

static void xh_sensor_log(xh_sensor_t *s, const char *a, const char *b)
{
    xh_line l;
    xh_line_init(&l, s->line, sizeof s->line);
    xh_line_str(&l, "sensor: ");
    xh_line_str(&l, a);
    if (b) xh_line_str(&l, b);
    xh_log_line(s->line);
}

/* The current value into s->value: the first line of the file, or the counter. */
static int xh_sensor_read(xh_sensor_t *s, int next)
{
    if (!s->file) {
        if (next) s->counter++;
        xh_line l;
        xh_line_init(&l, s->value, sizeof s->value);
        xh_line_u64(&l, s->counter);
        s->value_len = (uint32_t)l.len;
        return 1;
    }
    FILE *f = fopen(s->file, "rb");
    if (!f) { xh_sensor_log(s, "cannot read ", s->file); return 0; }
    size_t n = fread(s->value, 1, sizeof s->value - 1, f);
    fclose(f);
    size_t len = 0;
    while (len < n && s->value[len] != '\n' && s->value[len] != '\r') len++;
    /* Longer than a value: passed on as is, for the core to refuse by name. */
    s->value_len = (uint32_t)len;
    s->value[len] = '\0';
    return 1;
}

/* sensor.basic with the current value: trig for a reading, stat for an answer. */
static void xh_sensor_send(xh_sensor_t *s, xh_device_t *d, int32_t msgtype)
{
    xh_xpl_t *x = &d->xpl;
    int32_t outcome = XH_XPL_REFUSED;
    xh_result e;
    if ((e = xh_xpl_message_begin(x, msgtype, "*", "sensor.basic")) ||
        (e = xh_xpl_message_pair(x, "device", s->name)) ||
        (e = xh_xpl_message_pair(x, "type", "generic")) ||
        (e = xh_xpl_message_pair_bytes(x, "current", (const uint8_t *)s->value, s->value_len)) ||
        (e = xh_xpl_message_send(x, &outcome))) {
        xh_sensor_log(s, "the core failed: ", e);
        return;
    }
    xh_line l;
    xh_line_init(&l, s->line, sizeof s->line);
    xh_line_str(&l, "sensor: ");
    xh_line_str(&l, msgtype == XH_XPL_MSGTYPE_TRIG ? "reading " : "answer ");
    xh_line_str(&l, s->name);
    xh_line_char(&l, '=');
    xh_line_bytes(&l, s->value, s->value_len);
    if (outcome == XH_XPL_SENT) xh_line_str(&l, ": sent");
    else if (outcome == XH_XPL_NOT_JOINED) xh_line_str(&l, ": not sent (not joined yet)");
    else {
        xh_line_str(&l, ": refused, ");
        int32_t r = x->refusal.reason, f = x->refusal.field;
        xh_line_str(&l, r >= 0 && r < (int32_t)XH_COUNT(xh_reason_names) ? xh_reason_names[r] : "?");
        xh_line_str(&l, " (");
        xh_line_str(&l, f >= 0 && f < (int32_t)XH_COUNT(xh_enc_names) ? xh_enc_names[f] : "?");
        xh_line_char(&l, ')');
    }
    xh_log_line(s->line);
}

static int32_t xh_sensor_due(void *user, xh_device_t *d, uint64_t now_ms)
{
    (void)now_ms;
    xh_sensor_t *s = user;
    /* The first call comes at start: the first reading is one period later, when
     * the device has had time to join. */
    if (!s->started) { s->started = 1; return (int32_t)s->every_ms; }
    if (xh_sensor_read(s, 1)) xh_sensor_send(s, d, XH_XPL_MSGTYPE_TRIG);
    s->readings++;
    if (s->count_max && s->readings >= s->count_max) {
        xh_sensor_log(s, "readings done (--sensor-count)", NULL);
        return -1;
    }
    return (int32_t)s->every_ms;
}

static void xh_sensor_deliver(void *user, xh_device_t *d)
{
    xh_sensor_t *s = user;
    xh_xpl_t *x = &d->xpl;
    int32_t msgtype = 0;
    const uint8_t *schema, *request, *device;
    uint32_t schema_len, request_len, device_len;
    /* Read everything needed before answering: the answer's staging ends the view. */
    if (xh_xpl_query(x, XH_XPL_Q_MSG_TYPE, 0, &msgtype) ||
        xh_xpl_msg_field(x, XH_XPL_FIELD_SCHEMA, &schema, &schema_len)) return;
    if (msgtype != XH_XPL_MSGTYPE_CMND || !xh_xpl_text_is(schema, schema_len, "sensor.request")) return;
    if (xh_xpl_msg_find(x, "request", &request, &request_len) ||
        xh_xpl_msg_find(x, "device", &device, &device_len)) return;
    if (!request || !xh_xpl_text_is(request, request_len, "current")) return;
    if (device && !xh_xpl_text_is(device, device_len, s->name)) return;   /* another sensor's */
    if (xh_sensor_read(s, 0)) xh_sensor_send(s, d, XH_XPL_MSGTYPE_STAT);
}

const xh_device_app *xh_sensor_app(xh_sensor_t *s, const xh_args *a)
{
    if (!s->enabled) {
        if (s->file || s->count_max) xh_args_fail(a, "needs --example sensor", s->file ? "--sensor-file" : "--sensor-count", NULL);
        return NULL;
    }
    s->app.user = s;
    s->app.deliver = xh_sensor_deliver;
    s->app.due = xh_sensor_due;
    return &s->app;
}
