//! The C device loop (host/c/shim/xh_device.c) in its own esp-rtos thread.
//!
//! xh_device_run blocks in xh_udp_receive until a datagram or the core's deadline
//! (src/platform.rs sleeps on a semaphore: no polling), so it cannot run as an embassy
//! task; a thread of its own keeps the executor (Wi-Fi, DHCP, the socket, the console)
//! free. The thread waits for an address, runs the device, and runs it again when the
//! network changed under it. A Wi-Fi loss with the same address on reconnect keeps the
//! device running: its state (phase, hub, configuration) stays.
use core::ffi::{c_char, c_void};
use core::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, Ordering::SeqCst};

use xpl_esp32c3_setup::ipv4::{IPV4_TEXT_BYTES, format_ipv4};
use xpl_esp32c3_setup::settings::{SOURCE_BYTES_MAX, Settings};

use crate::bridge::{self, Sem};
use crate::wasm3_heap;

/// The device thread's stack: the loop, the shim and wasm3's interpreter (which calls
/// through its operations; 8 KiB is the qemu-rv32 board's whole C stack).
pub const DEVICE_STACK_BYTES: usize = 16 * 1024;
/// Above the main thread (0), whose executor runs the network: the device's work is
/// short and it should not wait behind a busy executor.
const DEVICE_PRIORITY: u32 = 1;
/// After an error (a refused setting, a failing socket): wait, then start again.
const RESTART_DELAY_US: u32 = 10_000_000;
pub const XPL_PORT: u16 = 3865;

static WASM: &[u8] = include_bytes!(env!("XPL_WASM_PATH"));

/// host/c/shim/xh_device.h `xh_device_config`, field for field (checked at start against
/// the sizes c/board_device.c exports).
#[repr(C)]
struct XhDeviceConfig {
    wasm: *const u8,
    wasm_len: u32,
    source: *const c_char,
    app_mode: u8,
    configurable: u8,
    status_key: u8,
    hears_own_broadcast: u8,
    restore_config: u8,
    interval_min: i32,
    bind_ipv4: u32,
    broadcast_ipv4: u32,
    xpl_port: u16,
    port: u16,
    remote_ip: *const c_char,
    version: *const c_char,
    duration_ms: u64,
    stop: *mut i32,
    /// `const xh_device_app *`: no application on this board (a heartbeat device only).
    app: *const core::ffi::c_void,
    /// `const char *(*)(void)`: the board keeps no bad configuration aside (its flash
    /// slots keep the previous record whole).
    config_set_aside: *const core::ffi::c_void,
}

// The same numbers as c/board_device.c's _Static_assert: either side's change stops the build.
// The last field's offset is checked too: a field added at the end could hide in the padding.
const _: () = assert!(
    core::mem::size_of::<XhDeviceConfig>() == 72
        && core::mem::offset_of!(XhDeviceConfig, stop) == 56
        && core::mem::offset_of!(XhDeviceConfig, app) == 60
        && core::mem::offset_of!(XhDeviceConfig, config_set_aside) == 64
);

unsafe extern "C" {
    fn xpl_board_device_run(cfg: *const XhDeviceConfig) -> *const c_char;
    static xpl_board_config_bytes: u32;
    static xpl_board_config_stop_offset: u32;
    static xpl_board_device_bytes: u32;
}

/// The network as the main thread's watcher last saw it (0: no address).
pub static NET_ADDRESS: AtomicU32 = AtomicU32::new(0);
pub static NET_BROADCAST: AtomicU32 = AtomicU32::new(0);
/// Given by the watcher on every change of NET_* (created by bridge::init).
pub static NET_CHANGED: Sem = Sem::new();
/// The network the running device uses (0: not running).
static RUNNING_ADDRESS: AtomicU32 = AtomicU32::new(0);
static RUNNING_BROADCAST: AtomicU32 = AtomicU32::new(0);
/// Whether this run's wasm3 heap was printed (platform.rs, first receive).
pub static HEAP_REPORTED: AtomicBool = AtomicBool::new(false);
/// xh_device_config.stop (volatile sig_atomic_t: an int).
static STOP: AtomicI32 = AtomicI32::new(0);

/// What the device thread runs with: the settings, fixed at start.
struct Params {
    source: [u8; SOURCE_BYTES_MAX + 1],
    app_mode: bool,
    configurable: bool,
    status_key: bool,
    interval_min: u8,
}

static mut PARAMS: Params =
    Params { source: [0; SOURCE_BYTES_MAX + 1], app_mode: false, configurable: false, status_key: false, interval_min: 0 };

/// The main thread's watcher: the network changed (address and broadcast, or 0 when
/// it went down). Stops the device when it runs on another address.
pub fn network_changed(address: u32, broadcast: u32) {
    NET_ADDRESS.store(address, SeqCst);
    NET_BROADCAST.store(broadcast, SeqCst);
    let running = RUNNING_ADDRESS.load(SeqCst);
    if address != 0 && running != 0 && (running != address || RUNNING_BROADCAST.load(SeqCst) != broadcast) {
        STOP.store(1, SeqCst);
        bridge::RX_READY.get().give(); // wakes a waiting receive: it returns INTERRUPTED
    }
    NET_CHANGED.get().give();
}

fn log(line: &str) {
    esp_println::println!("[{:>9} ms] {}", crate::platform::xh_now_ms(), line);
}

/// Starts the device thread with `settings` and `source` (resolved: never empty).
pub fn start(settings: &Settings, source: &str) {
    unsafe {
        assert_eq!(xpl_board_config_bytes as usize, core::mem::size_of::<XhDeviceConfig>());
        assert_eq!(xpl_board_config_stop_offset as usize, core::mem::offset_of!(XhDeviceConfig, stop));
        let p = &mut *core::ptr::addr_of_mut!(PARAMS);
        p.source[..source.len()].copy_from_slice(source.as_bytes());
        p.app_mode = settings.app_mode;
        p.configurable = settings.configurable;
        p.status_key = settings.status_key;
        p.interval_min = settings.interval_min;
        esp_println::println!(
            "device: xh_device_t {} B static, thread stack {} B, wasm3 arena {} B",
            xpl_board_device_bytes,
            DEVICE_STACK_BYTES,
            wasm3_heap::WASM3_HEAP_BYTES
        );
        esp_radio_rtos_driver::task_create(
            "xpl-device",
            device_thread,
            core::ptr::null_mut(),
            DEVICE_PRIORITY,
            None,
            DEVICE_STACK_BYTES,
        );
    }
}

extern "C" fn device_thread(_: *mut c_void) {
    let p = unsafe { &*core::ptr::addr_of!(PARAMS) };
    let mut remote_ip = [0u8; IPV4_TEXT_BYTES];
    let version = concat!(env!("CARGO_PKG_VERSION"), "\0");
    loop {
        // An address first; then say which one we run on, and check it did not change
        // in between (network_changed stores before it reads RUNNING_*).
        let (address, broadcast) = loop {
            let a = NET_ADDRESS.load(SeqCst);
            if a != 0 {
                let b = NET_BROADCAST.load(SeqCst);
                STOP.store(0, SeqCst);
                RUNNING_ADDRESS.store(a, SeqCst);
                RUNNING_BROADCAST.store(b, SeqCst);
                if NET_ADDRESS.load(SeqCst) == a && NET_BROADCAST.load(SeqCst) == b {
                    break (a, b);
                }
                RUNNING_ADDRESS.store(0, SeqCst);
                continue;
            }
            NET_CHANGED.get().take(None);
        };
        format_ipv4(address, &mut remote_ip);
        HEAP_REPORTED.store(false, SeqCst);
        let cfg = XhDeviceConfig {
            wasm: WASM.as_ptr(),
            wasm_len: WASM.len() as u32,
            source: p.source.as_ptr() as *const c_char,
            app_mode: p.app_mode as u8,
            configurable: p.configurable as u8,
            status_key: p.status_key as u8,
            hears_own_broadcast: 0, // smoltcp does not loop our broadcasts back
            restore_config: 1,
            interval_min: p.interval_min as i32,
            bind_ipv4: 0,
            broadcast_ipv4: broadcast,
            xpl_port: XPL_PORT,
            port: 0,
            remote_ip: remote_ip.as_ptr() as *const c_char,
            version: version.as_ptr() as *const c_char,
            duration_ms: 0,
            stop: STOP.as_ptr(),
            app: core::ptr::null(),
            config_set_aside: core::ptr::null(),
        };
        let e = unsafe { xpl_board_device_run(&cfg) };
        RUNNING_ADDRESS.store(0, SeqCst);
        let (now, peak, blocks) = wasm3_heap::usage();
        esp_println::println!("device: wasm3 heap peak {peak} B, {now} B in {blocks} blocks still held");
        if e.is_null() {
            log("device stopped: the network changed; starting again on the new address");
        } else {
            let why = unsafe { core::ffi::CStr::from_ptr(e) }.to_str().unwrap_or("?");
            esp_println::println!("device stopped: {why}; starting again in 10 s");
            esp_radio_rtos_driver::usleep(RESTART_DELAY_US);
        }
    }
}
