/* board_device.c: the device loop's static state for src/device.rs.
 *
 * xh_device_t (the loaded core, RX/TX views, the log line) lives here, in .bss, so
 * that Rust never mirrors its layout; Rust mirrors only xh_device_config, and checks
 * that mirror against the sizes below at start.
 */
#include <stddef.h>
#include "xh_device.h"

static xh_device_t xpl_board_device;

/* src/device.rs mirrors xh_device_config field for field and asserts the same four
 * numbers: a field added in host/c/shim/xh_device.h stops the build here, not the chip. */
_Static_assert(sizeof(xh_device_config) == 72, "update XhDeviceConfig in src/device.rs, then these numbers");
_Static_assert(offsetof(xh_device_config, stop) == 56, "update XhDeviceConfig in src/device.rs, then these numbers");
_Static_assert(offsetof(xh_device_config, app) == 60, "update XhDeviceConfig in src/device.rs, then these numbers");
/* The last field: a field added at the end could hide in the padding before 72. */
_Static_assert(offsetof(xh_device_config, config_set_aside) == 64, "update XhDeviceConfig in src/device.rs, then these numbers");

const uint32_t xpl_board_config_bytes = sizeof(xh_device_config);
const uint32_t xpl_board_config_stop_offset = offsetof(xh_device_config, stop);
const uint32_t xpl_board_device_bytes = sizeof(xh_device_t);

/* Called by the device thread only; returns when the loop ends (stop or error). */
xh_result xpl_board_device_run(const xh_device_config *cfg)
{
    return xh_device_run(&xpl_board_device, cfg);
}
