//! host/c/shim/xh_platform.h on the ESP32-C3, for the C device loop (host/c/shim/xh_device.c).
//! Every function here is called by the device thread only (src/device.rs), from
//! inside xh_device_run; none may be called from an embassy task (they block).
use core::ffi::{CStr, c_char, c_int, c_uint};
use core::sync::atomic::{AtomicU16, Ordering::Relaxed};

use crate::bridge::{self, Control, DATAGRAM_BYTES_MAX, Datagram};
use crate::store::{self, Record};

/// xh_result: NULL or a constant C string.
type XhResult = *const c_char;
const XH_OK: XhResult = core::ptr::null();

const XH_UDP_TIMEOUT: i32 = -1;
const XH_UDP_INTERRUPTED: i32 = -2;
const XH_UDP_ERROR: i32 = -3;
/// The one socket's handle (the bridge owns one socket).
const UDP_HANDLE: c_int = 3;

static TX_SEQ: AtomicU16 = AtomicU16::new(0);

fn now_us() -> u64 {
    esp_radio_rtos_driver::now()
}

/// Opens the device's socket on *port_io (0: ephemeral) through the bridge task; the
/// bind address is always "any" (embassy-net has one interface). Device thread only.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn xh_udp_open(udp: *mut c_int, _bind_ipv4: u32, port_io: *mut u16, _flags: c_uint) -> XhResult {
    // Broadcasts are always allowed and the port is never shared: smoltcp has neither
    // SO_BROADCAST nor SO_REUSEADDR, and this board runs one xPL program.
    let port = unsafe { *port_io };
    if !control(Control::Open(port)) {
        return c"the network task did not open the socket".as_ptr();
    }
    let bound = bridge::OPEN_RESULT.load(Relaxed);
    if bound == 0 {
        return c"bind failed (port in use?)".as_ptr();
    }
    unsafe {
        *port_io = bound as u16;
        *udp = UDP_HANDLE;
    }
    XH_OK
}

/// Sends one datagram and waits for the network task's result. Device thread only.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn xh_udp_send(udp: c_int, data: *const u8, len: usize, ipv4: u32, port: u16) -> XhResult {
    assert_eq!(udp, UDP_HANDLE);
    if len > DATAGRAM_BYTES_MAX {
        return c"datagram longer than 1500 bytes".as_ptr();
    }
    // rv32imc has no atomic read-modify-write; only the device thread sends.
    let seq = TX_SEQ.load(Relaxed).wrapping_add(1);
    TX_SEQ.store(seq, Relaxed);
    let mut d = Datagram { len: len as u32, ipv4, port, seq, bytes: [0; DATAGRAM_BYTES_MAX] };
    d.bytes[..len].copy_from_slice(unsafe { core::slice::from_raw_parts(data, len) });
    if bridge::TX.try_send(d).is_err() {
        return c"the previous send is still queued".as_ptr();
    }
    let deadline_us = now_us() + bridge::SEND_TIMEOUT_US;
    loop {
        if !bridge::TX_DONE.get().take_with_deadline(Some(deadline_us)) {
            return c"send timed out (network task busy)".as_ptr();
        }
        let r = bridge::TX_RESULT.load(Relaxed);
        if (r >> 8) as u16 != seq {
            continue; // the late result of an earlier send that timed out
        }
        return match r & 0xff {
            bridge::TX_OK => XH_OK,
            bridge::TX_NO_ROUTE => c"no route (Wi-Fi down or no address yet)".as_ptr(),
            bridge::TX_TOO_LARGE => c"datagram larger than the socket buffer".as_ptr(),
            _ => c"socket not bound".as_ptr(),
        };
    }
}

/// Sleeps until a datagram, a stop request or timeout_ms (-1: none, 0: no wait);
/// copies at most cap bytes and returns the datagram's real length. Device thread only.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn xh_udp_receive(
    udp: c_int,
    buf: *mut u8,
    cap: usize,
    timeout_ms: i32,
    from_ipv4: *mut u32,
    from_port: *mut u16,
) -> i32 {
    if udp != UDP_HANDLE {
        return XH_UDP_ERROR;
    }
    if !crate::device::HEAP_REPORTED.load(Relaxed) {
        crate::device::HEAP_REPORTED.store(true, Relaxed);
        // The first wait of a run: the core is loaded and started, wasm3 holds all it will.
        let (now, peak, blocks) = crate::wasm3_heap::usage();
        esp_println::println!("[{:>9} ms] wasm3 heap after start: {now} B in {blocks} blocks (peak {peak} B of {} B reserved)", xh_now_ms(), crate::wasm3_heap::WASM3_HEAP_BYTES);
    }
    let ready = bridge::RX_READY.get();
    let got = match timeout_ms {
        0 => ready.try_take(),
        t if t < 0 => ready.take(None),
        t => ready.take_with_deadline(Some(now_us() + t as u64 * 1000)),
    };
    if !got {
        return XH_UDP_TIMEOUT;
    }
    // A give without a datagram: a stop request (src/device.rs) or a closed socket.
    let Ok(d) = bridge::RX.try_receive() else { return XH_UDP_INTERRUPTED };
    let n = (d.len as usize).min(cap).min(DATAGRAM_BYTES_MAX);
    unsafe {
        core::ptr::copy_nonoverlapping(d.bytes.as_ptr(), buf, n);
        if !from_ipv4.is_null() {
            *from_ipv4 = d.ipv4;
        }
        if !from_port.is_null() {
            *from_port = d.port;
        }
    }
    // The real length, above cap for a datagram that was longer: the core refuses it
    // by length (never a truncated datagram passed as whole).
    d.len as i32
}

/// Closes the device's socket and waits until the bridge dropped it (and the
/// datagrams queued for it). Device thread only.
#[unsafe(no_mangle)]
pub extern "C" fn xh_udp_close(_udp: c_int) {
    if !control(Control::Close) {
        esp_println::println!("[{:>9} ms] the network task did not close the socket", xh_now_ms());
    }
    // Counts left by datagrams that were dropped with the socket.
    while bridge::RX_READY.get().try_take() {}
}

/// Sends a request to the bridge task and waits for its answer (false: timed out).
fn control(request: Control) -> bool {
    let done = bridge::CONTROL_DONE.get();
    while done.try_take() {} // a late answer to an earlier request that timed out
    bridge::CONTROL.signal(request);
    done.take_with_deadline(Some(now_us() + bridge::CONTROL_TIMEOUT_US))
}

/// Milliseconds since boot from the system timer (the same clock as esp-rtos).
#[unsafe(no_mangle)]
pub extern "C" fn xh_now_ms() -> u64 {
    now_us() / 1000
}

/// 32 bits from the hardware RNG (true random: the radio is on by then).
#[unsafe(no_mangle)]
pub extern "C" fn xh_random_seed() -> u32 {
    esp_hal::rng::Rng::new().random()
}

/// The core's configuration blob, stored whole or not at all (setup::slots).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn xh_config_store(blob: *const u8, len: usize) -> XhResult {
    let data = unsafe { core::slice::from_raw_parts(blob, len) };
    match store::store(Record::CoreConfig, data) {
        Ok(()) => XH_OK,
        Err(_) => c"flash store failed".as_ptr(),
    }
}

/// The stored blob's length (0: none), or -1 when unreadable or longer than cap.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn xh_config_load(buf: *mut u8, cap: usize) -> i32 {
    let out = unsafe { core::slice::from_raw_parts_mut(buf, cap) };
    match store::load(Record::CoreConfig, out) {
        Ok(n) => n as i32,
        Err(_) => -1,
    }
}

/// One line of the device's log, with the milliseconds since boot.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn xh_log_line(line: *const c_char) {
    let text = unsafe { CStr::from_ptr(line) }.to_str().unwrap_or("(not UTF-8)");
    esp_println::println!("[{:>9} ms] {}", xh_now_ms(), text);
}

/// XH_ASSERT failed in the shim: a bug, not bad input. Stop with a backtrace.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn xh_assert_failed(file: *const c_char, line: c_int, what: *const c_char) -> ! {
    let file = unsafe { CStr::from_ptr(file) }.to_str().unwrap_or("?");
    let what = unsafe { CStr::from_ptr(what) }.to_str().unwrap_or("?");
    panic!("assertion failed: {file}:{line}: {what}");
}

#[unsafe(no_mangle)]
pub extern "C" fn abort() -> ! {
    panic!("abort() from C");
}
