/* board_device.c: the device loop's static state for src/device.rs.
 *
 * xh_device_t (the loaded core, RX/TX views, the log line) lives here, in .bss, so
 * that Rust never mirrors its layout; Rust mirrors only xh_device_config, and checks
 * that mirror against the sizes below at start.
 */
#include <stddef.h>
#include "xh_device.h"

static xh_device_t xpl_board_device;

const uint32_t xpl_board_config_bytes = sizeof(xh_device_config);
const uint32_t xpl_board_config_stop_offset = offsetof(xh_device_config, stop);
const uint32_t xpl_board_device_bytes = sizeof(xh_device_t);

/* Called by the device thread only; returns when the loop ends (stop or error). */
xh_result xpl_board_device_run(const xh_device_config *cfg)
{
    return xh_device_run(&xpl_board_device, cfg);
}
