/* xpl-device: a real xPL heartbeat device on Linux (a PC, a Raspberry Pi):
 * the xPL core under wasm3, POSIX sockets. */
#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "example_sensor.h"
#include "xh_args.h"
#include "xh_device.h"
#include "xh_line.h"
#include "xh_platform_linux.h"
#include "xpl_hbeat_wasm.h"   /* generated: the release core, embedded at build time */

static const char help[] =
    "usage: xpl-device [options]\n"
    "  --source V-D.I        identity vendor-device.instance (default xplhbeat-native.<host>)\n"
    "  --mode app|basic      app: behind a hub (hbeat.app); basic: owns the xPL port (default app)\n"
    "  --interval MIN        heartbeat interval in minutes, 1..30 (default 5)\n"
    "  --broadcast ADDR      where heartbeats go (default: the interface's broadcast,\n"
    "                        else 255.255.255.255)\n"
    "  --interface NAME|ADDR interface name (lo, eth0) or IPv4 address to use (default all);\n"
    "                        basic mode on one interface still hears its broadcasts\n"
    "  --xpl-port N          the xPL port (default 3865)\n"
    "  --port N              app mode: the port to listen on (default: ephemeral)\n"
    "  --remote-ip ADDR      app mode: this host's address as the hub sees it\n"
    "                        (default: the interface, 127.0.0.1 when 0.0.0.0)\n"
    "  --config FILE         configuration file (restored at start, replaced on change)\n"
    "  --configurable        send config.* heartbeats until a manager configures it\n"
    "  --status-key          Domogik's status= key in heartbeats\n"
    "  --version V           version= in heartbeats\n"
    "  --wasm FILE           the core to run (default: the one built in)\n"
    "  --duration-ms N       stop by itself after N ms (end heartbeat, exit 0)\n"
    "  --help\n"
    "SIGINT or SIGTERM: the end heartbeat goes out, exit 0.\n";

static uint8_t wasm_file[256 * 1024];
static char source_text[64], remote_text[16];
static xh_device_t device;
static xh_sensor_t sensor;
static volatile sig_atomic_t stop_requested;

static void default_source(void)
{
    char host[64] = "";
    gethostname(host, sizeof host - 1);
    char inst[17];
    size_t n = 0;
    for (const char *p = host; *p && *p != '.' && n < 16; p++) {
        char c = (char)tolower((unsigned char)*p);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') inst[n++] = c;
    }
    inst[n] = '\0';
    snprintf(source_text, sizeof source_text, "xplhbeat-native.%s", n ? inst : "linux");
}

int main(int argc, char **argv)
{
    xh_args a;
    xh_args_init(&a, "xpl-device", argc, argv);
    xh_sensor_init(&sensor);
    xh_device_config c;
    memset(&c, 0, sizeof c);
    c.wasm = xpl_hbeat_wasm;
    c.wasm_len = xpl_hbeat_wasm_len;
    c.app_mode = 1;
    c.hears_own_broadcast = 1;   /* Linux delivers our own broadcasts back to us */
    c.broadcast_ipv4 = XH_IPV4_BROADCAST;
    c.bind_ipv4 = XH_IPV4_ANY;
    c.xpl_port = 3865;
    const char *config = NULL;
    int remote_given = 0, broadcast_given = 0;
    uint32_t interface_broadcast = XH_IPV4_BROADCAST;
    const char *opt;
    while ((opt = xh_args_next(&a))) {
        if (!strcmp(opt, "--help") || !strcmp(opt, "-h")) { fputs(help, stdout); fputs(xh_sensor_help, stdout); return 0; }
        else if (xh_sensor_option(&sensor, &a, opt)) continue;
        else if (!strcmp(opt, "--source")) c.source = xh_args_value(&a, opt);
        else if (!strcmp(opt, "--mode")) {
            const char *v = xh_args_value(&a, opt);
            if (!strcmp(v, "app")) c.app_mode = 1;
            else if (!strcmp(v, "basic")) c.app_mode = 0;
            else xh_args_fail(&a, "expected app or basic", opt, v);
        }
        else if (!strcmp(opt, "--interval"))     c.interval_min = (int32_t)xh_args_int(&a, opt, 1, 30);
        else if (!strcmp(opt, "--broadcast"))    { c.broadcast_ipv4 = xh_args_ipv4(&a, opt); broadcast_given = 1; }
        else if (!strcmp(opt, "--interface"))    xh_args_interface(&a, opt, &c.bind_ipv4, &interface_broadcast);
        else if (!strcmp(opt, "--xpl-port"))     c.xpl_port = (uint16_t)xh_args_int(&a, opt, 1, 65535);
        else if (!strcmp(opt, "--port"))         c.port = (uint16_t)xh_args_int(&a, opt, 0, 65535);
        else if (!strcmp(opt, "--remote-ip")) {
            uint32_t ip = xh_args_ipv4(&a, opt);
            xh_line l;
            xh_line_init(&l, remote_text, sizeof remote_text);
            xh_line_ipv4(&l, ip);
            remote_given = 1;
        }
        else if (!strcmp(opt, "--config"))       config = xh_args_value(&a, opt);
        else if (!strcmp(opt, "--configurable")) c.configurable = 1;
        else if (!strcmp(opt, "--status-key"))   c.status_key = 1;
        else if (!strcmp(opt, "--version"))      c.version = xh_args_value(&a, opt);
        else if (!strcmp(opt, "--wasm")) {
            const char *path = xh_args_value(&a, opt);
            c.wasm_len = xh_args_file(&a, opt, path, wasm_file, sizeof wasm_file);
            c.wasm = wasm_file;
        }
        else if (!strcmp(opt, "--duration-ms"))  c.duration_ms = (uint64_t)xh_args_int(&a, opt, 1, INT64_C(1) << 53);
        else xh_args_fail(&a, opt[0] == '-' ? "unknown option" : "unexpected argument", opt, NULL);
    }
    if (!c.source) { default_source(); c.source = source_text; }
    if (!remote_given) {
        xh_line l;
        xh_line_init(&l, remote_text, sizeof remote_text);
        xh_line_ipv4(&l, c.bind_ipv4 == XH_IPV4_ANY ? XH_IPV4_LOOPBACK : c.bind_ipv4);
    }
    c.remote_ip = remote_text;
    if (!broadcast_given) c.broadcast_ipv4 = interface_broadcast;
    xh_result e = xh_linux_config_path(config);
    if (e) xh_args_fail(&a, e, "--config", config);
    c.restore_config = config != NULL;
    c.app = xh_sensor_app(&sensor, &a);
    c.config_set_aside = xh_linux_config_set_aside;
    c.stop = &stop_requested;
    xh_linux_signals(&stop_requested);
    setvbuf(stdout, NULL, _IOLBF, 0);

    e = xh_device_run(&device, &c);
    if (e) {
        /* A bind that fails is the user's choice of port or address: exit 2, as a bad option. */
        int usage = !strncmp(e, "bind():", 7);
        fprintf(stderr, "xpl-device: %s%s\n", e, usage ? (c.app_mode ? " (--interface, --port)" : " (--interface, --xpl-port)") : "");
        return usage ? 2 : 1;
    }
    return 0;
}
