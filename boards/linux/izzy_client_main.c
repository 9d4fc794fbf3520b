/* izzy-client: an izzy client over UDP on Linux (the izzy module under wasm3);
 * the options of `xpl-hbeat izzy client`. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "xh_args.h"
#include "xh_izzy_client.h"
#include "xh_platform_linux.h"
#include "izzy_wasm.h"   /* generated: build/izzy.wasm, embedded at build time */

static const char help[] =
    "usage: izzy-client --name NAME [options]\n"
    "  --name NAME        the name in HERE (at most 32 bytes, no ',')\n"
    "  --status S         1 AVAILABLE (default), 2 MOVING, 3 FOLLOWING, 4 ESTOP, 5 BROKEN, 6 UNVERIFIED\n"
    "  --x N --y N --z N --heading N --speed N   the values in HERE (i32)\n"
    "  --timeout-ms N     ESTOP after N ms without HELLO (default 3000)\n"
    "  --port N           port to bind: HELLO arrives there (default 9001; 0 ephemeral)\n"
    "  --mother-port N    port HERE is sent to on the Mother (default 9000)\n"
    "  --interface NAME|ADDR  interface name (lo, eth0) or IPv4 address to bind\n"
    "                     (default all; --bind is the same)\n"
    "  --uuid UUID        our UUID (default: random)\n"
    "  --wasm FILE        the module to run (default: the one built in)\n"
    "  --duration-ms N    stop by itself after N ms\n";

static uint8_t wasm_file[64 * 1024];
static uint8_t uuid[16];
static xh_izzy_client_t client;
static volatile sig_atomic_t stop_requested;

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* 32 hex digits, dashes anywhere (as host/node/izzy/names.ts uuidBytes). */
static int parse_uuid(const char *text, uint8_t out[16])
{
    int n = 0, nonzero = 0;
    for (const char *p = text; *p; p++) {
        if (*p == '-') continue;
        int d = hex_digit(*p);
        if (d < 0 || n >= 32) return -1;
        if (n % 2 == 0) out[n / 2] = (uint8_t)(d << 4); else out[n / 2] |= (uint8_t)d;
        nonzero |= d;
        n++;
    }
    return n == 32 && nonzero ? 0 : -1;
}

int main(int argc, char **argv)
{
    xh_args a;
    xh_args_init(&a, "izzy-client", argc, argv);
    xh_izzy_client_config c;
    memset(&c, 0, sizeof c);
    c.wasm = izzy_wasm;
    c.wasm_len = izzy_wasm_len;
    c.port = 9001;
    c.mother_port = 9000;
    const char *opt;
    while ((opt = xh_args_next(&a))) {
        if (!strcmp(opt, "--help") || !strcmp(opt, "-h")) { fputs(help, stdout); return 0; }
        else if (!strcmp(opt, "--name")) {
            c.name = xh_args_value(&a, opt);
            if (strchr(c.name, ',')) xh_args_fail(&a, "must not contain ','", opt, c.name);
            if (strlen(c.name) > 32) xh_args_fail(&a, "at most 32 bytes", opt, c.name);
        }
        else if (!strcmp(opt, "--status"))      c.status = (int32_t)xh_args_int(&a, opt, 1, 6);
        else if (!strcmp(opt, "--x"))           c.x = (int32_t)xh_args_int(&a, opt, INT32_MIN, INT32_MAX);
        else if (!strcmp(opt, "--y"))           c.y = (int32_t)xh_args_int(&a, opt, INT32_MIN, INT32_MAX);
        else if (!strcmp(opt, "--z"))           c.z = (int32_t)xh_args_int(&a, opt, INT32_MIN, INT32_MAX);
        else if (!strcmp(opt, "--heading"))     c.heading = (int32_t)xh_args_int(&a, opt, INT32_MIN, INT32_MAX);
        else if (!strcmp(opt, "--speed"))       c.speed = (int32_t)xh_args_int(&a, opt, INT32_MIN, INT32_MAX);
        else if (!strcmp(opt, "--timeout-ms"))  c.timeout_ms = (int32_t)xh_args_int(&a, opt, 1, 3600000);
        else if (!strcmp(opt, "--port"))        c.port = (uint16_t)xh_args_int(&a, opt, 0, 65535);
        else if (!strcmp(opt, "--mother-port")) c.mother_port = (uint16_t)xh_args_int(&a, opt, 1, 65535);
        else if (!strcmp(opt, "--bind") || !strcmp(opt, "--interface")) {
            uint32_t broadcast;
            xh_args_interface(&a, opt, &c.bind_ipv4, &broadcast);
        }
        else if (!strcmp(opt, "--uuid")) {
            const char *v = xh_args_value(&a, opt);
            if (parse_uuid(v, uuid) != 0) xh_args_fail(&a, "expected a non-nil UUID", opt, v);
            c.uuid = uuid;
        }
        else if (!strcmp(opt, "--wasm")) {
            c.wasm_len = xh_args_file(&a, opt, xh_args_value(&a, opt), wasm_file, sizeof wasm_file);
            c.wasm = wasm_file;
        }
        else if (!strcmp(opt, "--duration-ms")) c.duration_ms = (uint64_t)xh_args_int(&a, opt, 1, 0x7fffffff);
        else xh_args_fail(&a, opt[0] == '-' ? "unknown option" : "unexpected argument", opt, NULL);
    }
    if (!c.name) xh_args_fail(&a, "required", "--name", NULL);
    c.stop = &stop_requested;
    xh_linux_signals(&stop_requested);
    setvbuf(stdout, NULL, _IOLBF, 0);
    xh_result e = xh_izzy_client_run(&client, &c);
    if (e) {
        fprintf(stderr, "izzy-client: %s\n", e);
        return 1;
    }
    return 0;
}
