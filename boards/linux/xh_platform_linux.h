/* xh_platform_linux.h: what the Linux board adds to xh_platform.h (set-up only). */
#ifndef XH_PLATFORM_LINUX_H
#define XH_PLATFORM_LINUX_H

#include <signal.h>
#include "xh_platform.h"

/* The file xh_config_store writes (through PATH.tmp and rename) and
 * xh_config_load reads; NULL: none (store fails, load finds nothing). */
xh_result xh_linux_config_path(const char *path);

/* xh_device_config.config_set_aside: renames the configuration file to PATH.bad
 * (PATH.bad1..9 when taken); the new name, or NULL when it could not. */
const char *xh_linux_config_set_aside(void);

/* SIGINT and SIGTERM set *stop and interrupt xh_udp_receive; without a race:
 * they stay blocked except while waiting in ppoll. */
void xh_linux_signals(volatile sig_atomic_t *stop);

#endif /* XH_PLATFORM_LINUX_H */
