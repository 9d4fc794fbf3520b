/* xh_platform_linux.c: xh_platform.h on Linux: POSIX sockets, ppoll,
 * CLOCK_MONOTONIC, getrandom, a config file replaced by rename(). */
#define _GNU_SOURCE
#include "xh_platform_linux.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define XH_UDP_RCVBUF_BYTES (1024 * 1024)

static char config_path[4096];
static char config_tmp[4096 + 8];
static char config_aside[4096 + 8];
static volatile sig_atomic_t *stop_flag;
static sigset_t wait_mask;          /* the mask while waiting: the signals unblocked */
static int have_wait_mask;

void xh_assert_failed(const char *file, int line, const char *what)
{
    fprintf(stderr, "assertion failed: %s:%d: %s\n", file, line, what);
    fflush(stdout);
    abort();
}

/* ---- UDP ---- */

/* The name of the interface that holds ipv4 (for SO_BINDTODEVICE). */
static xh_result xh_linux_interface_name(uint32_t ipv4, char name[IF_NAMESIZE])
{
    struct ifaddrs *all = NULL;
    if (getifaddrs(&all) != 0) return "getifaddrs() failed";
    xh_result e = "not an address of this host";
    for (struct ifaddrs *i = all; i; i = i->ifa_next) {
        if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET) continue;
        if (ntohl(((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr) != ipv4) continue;
        snprintf(name, IF_NAMESIZE, "%s", i->ifa_name);
        e = xh_ok;
        break;
    }
    freeifaddrs(all);
    return e;
}

xh_result xh_interface_lookup(const char *name_or_ipv4, uint32_t *ipv4, uint32_t *broadcast_ipv4)
{
    struct in_addr given;
    int is_address = inet_pton(AF_INET, name_or_ipv4, &given) == 1;
    if (is_address && given.s_addr == htonl(XH_IPV4_ANY)) {
        *ipv4 = XH_IPV4_ANY;
        *broadcast_ipv4 = XH_IPV4_BROADCAST;
        return xh_ok;
    }
    struct ifaddrs *all = NULL;
    if (getifaddrs(&all) != 0) return "getifaddrs() failed";
    xh_result e = is_address ? "not an address of this host" : "no such interface";
    for (struct ifaddrs *i = all; i; i = i->ifa_next) {
        int inet = i->ifa_addr && i->ifa_addr->sa_family == AF_INET;
        if (is_address) {
            if (!inet || ((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr != given.s_addr) continue;
        } else {
            if (strcmp(i->ifa_name, name_or_ipv4) != 0) continue;
            if (!inet) { e = "the interface has no IPv4 address"; continue; }
        }
        uint32_t address = ntohl(((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr);
        uint32_t mask = i->ifa_netmask ? ntohl(((struct sockaddr_in *)i->ifa_netmask)->sin_addr.s_addr) : 0xffffffffu;
        *ipv4 = address;
        *broadcast_ipv4 = address | ~mask;
        e = xh_ok;
        break;
    }
    freeifaddrs(all);
    return e;
}

static struct sockaddr_in xh_sockaddr(uint32_t ipv4, uint16_t port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(ipv4);
    a.sin_port = htons(port);
    return a;
}

xh_result xh_udp_open(xh_udp_t *udp, uint32_t bind_ipv4, uint16_t *port_io, unsigned flags)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return "socket() failed";
    int one = 1;
    /* SO_REUSEADDR only: on Linux it lets every xPL program bind 3865 and each
     * gets every broadcast (SO_REUSEPORT would load-balance unicast between them). */
    if ((flags & XH_UDP_REUSE) && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0) {
        close(fd);
        return "setsockopt(SO_REUSEADDR) failed";
    }
    if ((flags & XH_UDP_BROADCAST) && setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof one) != 0) {
        close(fd);
        return "setsockopt(SO_BROADCAST) failed";
    }
    if ((flags & XH_UDP_HEAR_BROADCASTS) && bind_ipv4 != XH_IPV4_ANY) {
        /* Linux delivers a broadcast only to sockets bound to 0.0.0.0 or to the
         * broadcast address itself: bind 0.0.0.0 and keep to the interface. */
        char name[IF_NAMESIZE] = "";
        if (xh_linux_interface_name(bind_ipv4, name) == xh_ok &&
            setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name, (socklen_t)strlen(name) + 1) == 0) {
            bind_ipv4 = XH_IPV4_ANY;
        } else {
            xh_log_line("warning: cannot bind to the interface's device (SO_BINDTODEVICE): "
                        "bound to its unicast address, broadcasts will not be heard");
        }
    }
    /* Best effort: a receive queue that rides out a stall of ~100 ms under a flood of
     * 10,000 datagrams/s (the default ~200 KiB holds ~20 ms), so that what must be
     * answered is not dropped by the kernel. Kernel memory, only while queued. */
    int rcvbuf_bytes = XH_UDP_RCVBUF_BYTES;
    (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf_bytes, sizeof rcvbuf_bytes);
    struct sockaddr_in a = xh_sockaddr(bind_ipv4, *port_io);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return errno == EADDRINUSE ? "bind(): address in use" :
               errno == EADDRNOTAVAIL ? "bind(): address not available on this host" : "bind() failed";
    }
    socklen_t alen = sizeof a;
    if (getsockname(fd, (struct sockaddr *)&a, &alen) != 0) { close(fd); return "getsockname() failed"; }
    *port_io = ntohs(a.sin_port);
    *udp = fd;
    return xh_ok;
}

xh_result xh_udp_send(xh_udp_t udp, const uint8_t *data, size_t len, uint32_t ipv4, uint16_t port)
{
    struct sockaddr_in a = xh_sockaddr(ipv4, port);
    ssize_t n = sendto(udp, data, len, 0, (struct sockaddr *)&a, sizeof a);
    if (n < 0) return errno == EACCES ? "sendto(): broadcast not allowed" :
                      errno == ENETUNREACH ? "sendto(): network unreachable" : "sendto() failed";
    return (size_t)n == len ? xh_ok : "sendto(): short write";
}

int32_t xh_udp_receive(xh_udp_t udp, uint8_t *buf, size_t cap, int32_t timeout_ms,
                       uint32_t *from_ipv4, uint16_t *from_port)
{
    if (stop_flag && *stop_flag) return XH_UDP_INTERRUPTED;
    struct pollfd p = { .fd = udp, .events = POLLIN, .revents = 0 };
    struct timespec ts = { .tv_sec = timeout_ms / 1000, .tv_nsec = (long)(timeout_ms % 1000) * 1000000L };
    int n = ppoll(&p, 1, timeout_ms < 0 ? NULL : &ts, have_wait_mask ? &wait_mask : NULL);
    if (n < 0) return errno == EINTR ? XH_UDP_INTERRUPTED : XH_UDP_ERROR;
    if (n == 0) return XH_UDP_TIMEOUT;
    struct sockaddr_in a;
    socklen_t alen = sizeof a;
    /* MSG_TRUNC: the real length of a datagram longer than cap (Linux, UDP). */
    ssize_t len = recvfrom(udp, buf, cap, MSG_TRUNC | MSG_DONTWAIT, (struct sockaddr *)&a, &alen);
    if (len < 0) return (errno == EAGAIN || errno == EINTR) ? XH_UDP_INTERRUPTED : XH_UDP_ERROR;
    if (from_ipv4) *from_ipv4 = ntohl(a.sin_addr.s_addr);
    if (from_port) *from_port = ntohs(a.sin_port);
    return len > INT32_MAX ? INT32_MAX : (int32_t)len;
}

void xh_udp_close(xh_udp_t udp)
{
    close(udp);
}

/* ---- time, entropy ---- */

uint64_t xh_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

uint32_t xh_random_seed(void)
{
    uint32_t v = 0;
    if (getrandom(&v, sizeof v, 0) != (ssize_t)sizeof v) v = (uint32_t)xh_now_ms() ^ (uint32_t)getpid() * 2654435761u;
    return v;
}

/* ---- configuration ---- */

xh_result xh_linux_config_path(const char *path)
{
    config_path[0] = '\0';
    if (!path) return xh_ok;
    if (strlen(path) >= sizeof config_path) return "config path too long";
    strcpy(config_path, path);
    strcpy(config_tmp, path);
    strcat(config_tmp, ".tmp");
    return xh_ok;
}

xh_result xh_config_store(const uint8_t *blob, size_t len)
{
    if (!config_path[0]) return "no --config file";
    int fd = open(config_tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return "cannot create the temporary config file";
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, blob + done, len - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) { close(fd); unlink(config_tmp); return "cannot write the config file"; }
        done += (size_t)n;
    }
    if (fsync(fd) != 0 || close(fd) != 0) { unlink(config_tmp); return "cannot sync the config file"; }
    if (rename(config_tmp, config_path) != 0) { unlink(config_tmp); return "cannot rename the config file"; }
    /* The rename itself is durable once the directory is synced. */
    char dir[sizeof config_path];
    strcpy(dir, config_path);
    char *slash = strrchr(dir, '/');
    if (slash) slash[slash == dir ? 1 : 0] = '\0'; else strcpy(dir, ".");
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) { fsync(dfd); close(dfd); }
    return xh_ok;
}

int32_t xh_config_load(uint8_t *buf, size_t cap)
{
    if (!config_path[0]) return 0;
    FILE *f = fopen(config_path, "rb");
    if (!f) return errno == ENOENT ? 0 : -1;
    size_t n = fread(buf, 1, cap, f);
    int more = fgetc(f) != EOF;
    int bad = ferror(f);
    fclose(f);
    /* An empty file is not "none stored": a store never leaves one (rename of a whole file). */
    return (more || bad || n == 0) ? -1 : (int32_t)n;
}

const char *xh_linux_config_set_aside(void)
{
    if (!config_path[0]) return NULL;
    /* PATH.bad, or PATH.bad1..9 when that exists: never overwrite an earlier one. */
    for (int i = 0; i < 10; i++) {
        snprintf(config_aside, sizeof config_aside, i ? "%s.bad%d" : "%s.bad", config_path, i);
        if (link(config_path, config_aside) == 0) {
            unlink(config_path);
            return config_aside;
        }
        if (errno != EEXIST) break;
    }
    return NULL;
}

/* ---- log, signals ---- */

void xh_log_line(const char *line)
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    localtime_r(&ts.tv_sec, &tm);
    printf("%04d-%02d-%02d %02d:%02d:%02d.%03ld %s\n", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
           tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000L, line);
    fflush(stdout);
}

static void xh_on_signal(int sig)
{
    (void)sig;
    if (stop_flag) *stop_flag = 1;
}

void xh_linux_signals(volatile sig_atomic_t *stop)
{
    stop_flag = stop;
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_BLOCK, &block, &wait_mask);
    sigdelset(&wait_mask, SIGINT);
    sigdelset(&wait_mask, SIGTERM);
    have_wait_mask = 1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = xh_on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;   /* no SA_RESTART: ppoll returns EINTR */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}
