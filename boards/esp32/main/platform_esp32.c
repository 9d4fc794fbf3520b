/* platform_esp32.c: xh_platform.h on ESP-IDF: lwIP BSD sockets, esp_timer,
 * esp_random, NVS (the config blob: nvs_set_blob then nvs_commit, which NVS
 * applies whole or not at all), ESP_LOG. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "esp_log.h"
#include "esp_random.h"
#include "esp_timer.h"
#include "lwip/sockets.h"
#include "nvs.h"
#include "xh_platform.h"

static const char *TAG = "xpl";
#define XH_NVS_NAMESPACE "xplhbeat"
#define XH_NVS_KEY       "config"

void xh_assert_failed(const char *file, int line, const char *what)
{
    ESP_LOGE(TAG, "assertion failed: %s:%d: %s", file, line, what);
    abort();
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
    int fd = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    if (fd < 0) return "socket() failed";
    int one = 1;
    /* needs CONFIG_LWIP_SO_REUSE (sdkconfig.defaults) */
    if ((flags & XH_UDP_REUSE) && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0) {
        close(fd);
        return "setsockopt(SO_REUSEADDR) failed";
    }
    if ((flags & XH_UDP_BROADCAST) && setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof one) != 0) {
        close(fd);
        return "setsockopt(SO_BROADCAST) failed";
    }
    struct sockaddr_in a = xh_sockaddr(bind_ipv4, *port_io);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0) { close(fd); return "bind() failed"; }
    socklen_t alen = sizeof a;
    if (getsockname(fd, (struct sockaddr *)&a, &alen) != 0) { close(fd); return "getsockname() failed"; }
    *port_io = ntohs(a.sin_port);
    *udp = fd;
    return xh_ok;
}

xh_result xh_udp_send(xh_udp_t udp, const uint8_t *data, size_t len, uint32_t ipv4, uint16_t port)
{
    struct sockaddr_in a = xh_sockaddr(ipv4, port);
    int n = sendto(udp, data, len, 0, (struct sockaddr *)&a, sizeof a);
    if (n < 0) return "sendto() failed";
    return (size_t)n == len ? xh_ok : "sendto(): short write";
}

int32_t xh_udp_receive(xh_udp_t udp, uint8_t *buf, size_t cap, int32_t timeout_ms,
                       uint32_t *from_ipv4, uint16_t *from_port)
{
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(udp, &readable);
    struct timeval tv = { .tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000 };
    int n = select(udp + 1, &readable, NULL, NULL, timeout_ms < 0 ? NULL : &tv);
    if (n < 0) return errno == EINTR ? XH_UDP_INTERRUPTED : XH_UDP_ERROR;
    if (n == 0) return XH_UDP_TIMEOUT;
    struct sockaddr_in a;
    struct iovec iov = { .iov_base = buf, .iov_len = cap };
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_name = &a;
    msg.msg_namelen = sizeof a;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    int len = recvmsg(udp, &msg, MSG_DONTWAIT);
    if (len < 0) return (errno == EAGAIN || errno == EWOULDBLOCK) ? XH_UDP_INTERRUPTED : XH_UDP_ERROR;
    if (from_ipv4) *from_ipv4 = ntohl(a.sin_addr.s_addr);
    if (from_port) *from_port = ntohs(a.sin_port);
    /* lwIP copies at most cap bytes and flags the rest: never pass a truncated
     * datagram as whole (the core rejects anything over 1500 bytes by length). */
    if (msg.msg_flags & MSG_TRUNC) return (int32_t)cap + 1;
    return len;
}

void xh_udp_close(xh_udp_t udp)
{
    close(udp);
}

uint64_t xh_now_ms(void)
{
    return (uint64_t)esp_timer_get_time() / 1000u;   /* microseconds since boot */
}

uint32_t xh_random_seed(void)
{
    return esp_random();   /* true random once the radio is on */
}

xh_result xh_config_store(const uint8_t *blob, size_t len)
{
    nvs_handle_t h;
    if (nvs_open(XH_NVS_NAMESPACE, NVS_READWRITE, &h) != ESP_OK) return "nvs_open failed";
    esp_err_t e = nvs_set_blob(h, XH_NVS_KEY, blob, len);
    if (e == ESP_OK) e = nvs_commit(h);
    nvs_close(h);
    return e == ESP_OK ? xh_ok : "nvs_set_blob/nvs_commit failed";
}

int32_t xh_config_load(uint8_t *buf, size_t cap)
{
    nvs_handle_t h;
    esp_err_t e = nvs_open(XH_NVS_NAMESPACE, NVS_READONLY, &h);
    if (e == ESP_ERR_NVS_NOT_FOUND) return 0;   /* nothing stored yet */
    if (e != ESP_OK) return -1;
    size_t len = cap;
    e = nvs_get_blob(h, XH_NVS_KEY, buf, &len);
    nvs_close(h);
    if (e == ESP_ERR_NVS_NOT_FOUND) return 0;
    return e == ESP_OK ? (int32_t)len : -1;   /* ESP_ERR_NVS_INVALID_LENGTH: larger than cap */
}

void xh_log_line(const char *line)
{
    ESP_LOGI(TAG, "%s", line);   /* ESP_LOG adds the timestamp */
}
