//! UDP between the device thread (the C device loop, blocking calls of xh_platform.h)
//! and embassy-net (async, on the main thread's executor).
//!
//! The device thread blocks on esp-rtos semaphores, so it sleeps (the CPU idles) until
//! a datagram, a send's result or its deadline; the async side wakes it with `give`.
//! embassy-net's stack is single-threaded: only [`udp_task`] touches the socket.
//!
//! - open/close: [`CONTROL`] (a signal to the task), answered by [`CONTROL_DONE`]
//!   (and the bound port in [`OPEN_RESULT`]): both are synchronous, so a close and
//!   the next open never meet in the signal;
//! - send: one datagram in [`TX`], its result back in [`TX_RESULT`] + [`TX_DONE`];
//! - receive: datagrams in [`RX`] (RX_SLOTS deep, whole, with their real length), one
//!   [`RX_READY`] count each. A datagram that finds RX full is dropped and counted.
use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicU32, Ordering::Relaxed};
use embassy_futures::select::{Either3, select3};
use embassy_net::udp::{PacketMetadata, SendError, UdpSocket};
use embassy_net::{IpAddress, Ipv4Address, Stack};
use embassy_sync::blocking_mutex::raw::CriticalSectionRawMutex;
use embassy_sync::channel::Channel;
use embassy_sync::signal::Signal;
use esp_radio_rtos_driver::semaphore::{SemaphoreHandle, SemaphoreKind};

/// XH_XPL_DATAGRAM_MAX: what the core's RX holds.
pub const DATAGRAM_BYTES_MAX: usize = 1500;
/// Datagrams waiting for the device thread (each DATAGRAM_BYTES_MAX + 12 B of .bss).
pub const RX_SLOTS: usize = 4;
/// The socket's own buffers: a reassembled datagram of up to 2 KiB fits, so one over
/// 1500 bytes reaches the device with its real length.
const SOCKET_RX_BYTES: usize = 4096;
const SOCKET_TX_BYTES: usize = 1600;
/// How long a send may wait for the network task (a send to a broadcast never waits
/// for an answer: this bounds a stuck stack, not the network).
pub const SEND_TIMEOUT_US: u64 = 2_000_000;
pub const CONTROL_TIMEOUT_US: u64 = 5_000_000;

pub struct Datagram {
    /// The datagram's real length: more than DATAGRAM_BYTES_MAX when it was longer
    /// than `bytes` (then only the first DATAGRAM_BYTES_MAX bytes are here).
    pub len: u32,
    pub ipv4: u32,
    pub port: u16,
    pub seq: u16,
    pub bytes: [u8; DATAGRAM_BYTES_MAX],
}

pub enum Control {
    Open(u16),
    Close,
}

pub static CONTROL: Signal<CriticalSectionRawMutex, Control> = Signal::new();
pub static TX: Channel<CriticalSectionRawMutex, Datagram, 1> = Channel::new();
pub static RX: Channel<CriticalSectionRawMutex, Datagram, RX_SLOTS> = Channel::new();
/// (seq << 8) | TxResult of the last send.
pub static TX_RESULT: AtomicU32 = AtomicU32::new(0);
/// The port bound by the last open, 0: the open failed.
pub static OPEN_RESULT: AtomicU32 = AtomicU32::new(0);
pub static RX_DROPPED: AtomicU32 = AtomicU32::new(0);

pub const TX_OK: u32 = 0;
pub const TX_NO_ROUTE: u32 = 1;
pub const TX_TOO_LARGE: u32 = 2;
pub const TX_NOT_OPEN: u32 = 3;

/// Semaphores are created once the scheduler runs ([`init`]); a cell with a
/// fixed address until then.
pub struct Sem(UnsafeCell<Option<SemaphoreHandle>>);
// Set once by init() before the device thread exists, then only read.
unsafe impl Sync for Sem {}
impl Sem {
    pub const fn new() -> Self {
        Self(UnsafeCell::new(None))
    }
    pub fn get(&self) -> &SemaphoreHandle {
        unsafe { (*self.0.get()).as_ref().expect("bridge::init runs first") }
    }
    pub fn set(&self, s: SemaphoreHandle) {
        unsafe { *self.0.get() = Some(s) };
    }
}

pub static RX_READY: Sem = Sem::new();
pub static TX_DONE: Sem = Sem::new();
pub static CONTROL_DONE: Sem = Sem::new();

/// Once, after esp_rtos::start and before the device thread.
pub fn init() {
    // One more than RX_SLOTS: a stop request wakes a waiting receive without a datagram.
    RX_READY.set(SemaphoreHandle::new(SemaphoreKind::Counting { max: RX_SLOTS as u32 + 1, initial: 0 }));
    TX_DONE.set(SemaphoreHandle::new(SemaphoreKind::Counting { max: 1, initial: 0 }));
    CONTROL_DONE.set(SemaphoreHandle::new(SemaphoreKind::Counting { max: 1, initial: 0 }));
    crate::device::NET_CHANGED.set(SemaphoreHandle::new(SemaphoreKind::Counting { max: 1, initial: 0 }));
}

fn ipv4_bits(a: IpAddress) -> u32 {
    match a {
        IpAddress::Ipv4(v4) => v4.to_bits(),
    }
}

fn tx_code(r: Result<(), SendError>) -> u32 {
    match r {
        Ok(()) => TX_OK,
        Err(SendError::NoRoute) => TX_NO_ROUTE,
        Err(SendError::PacketTooLarge) => TX_TOO_LARGE,
        Err(SendError::SocketNotBound) => TX_NOT_OPEN,
    }
}

/// Owns the device's UDP socket: opens it when the device loop asks, then moves
/// datagrams both ways until it is closed. Never ends.
#[embassy_executor::task]
pub async fn udp_task(stack: Stack<'static>) {
    let mut rx_meta = [PacketMetadata::EMPTY; RX_SLOTS];
    let mut rx_buf = [0u8; SOCKET_RX_BYTES];
    let mut tx_meta = [PacketMetadata::EMPTY; 2];
    let mut tx_buf = [0u8; SOCKET_TX_BYTES];
    loop {
        let port = match CONTROL.wait().await {
            Control::Open(port) => port,
            Control::Close => {
                CONTROL_DONE.get().give(); // nothing open: closed already
                continue;
            }
        };
        let mut sock = UdpSocket::new(stack, &mut rx_meta, &mut rx_buf, &mut tx_meta, &mut tx_buf);
        let bound = match sock.bind(port) {
            Ok(()) => sock.endpoint().port as u32,
            Err(_) => 0,
        };
        OPEN_RESULT.store(bound, Relaxed);
        CONTROL_DONE.get().give();
        if bound == 0 {
            continue;
        }
        loop {
            match select3(sock.wait_recv_ready(), TX.receive(), CONTROL.wait()).await {
                Either3::First(()) => {
                    let d = sock
                        .recv_from_with(|data, meta| {
                            let mut d = Datagram {
                                len: data.len() as u32,
                                ipv4: ipv4_bits(meta.endpoint.addr),
                                port: meta.endpoint.port,
                                seq: 0,
                                bytes: [0; DATAGRAM_BYTES_MAX],
                            };
                            let n = data.len().min(DATAGRAM_BYTES_MAX);
                            d.bytes[..n].copy_from_slice(&data[..n]);
                            d
                        })
                        .await;
                    if RX.try_send(d).is_ok() {
                        RX_READY.get().give();
                    } else {
                        RX_DROPPED.store(RX_DROPPED.load(Relaxed) + 1, Relaxed); // this task only
                    }
                }
                Either3::Second(d) => {
                    let to = (Ipv4Address::from_bits(d.ipv4), d.port);
                    let r = sock.send_to(&d.bytes[..d.len as usize], to).await;
                    TX_RESULT.store(((d.seq as u32) << 8) | tx_code(r), Relaxed);
                    TX_DONE.get().give();
                }
                Either3::Third(Control::Close) => break,
                Either3::Third(Control::Open(_)) => {
                    // One socket at a time: the device loop opens once per run.
                    OPEN_RESULT.store(0, Relaxed);
                    CONTROL_DONE.get().give();
                }
            }
        }
        drop(sock);
        while RX.try_receive().is_ok() {}
        CONTROL_DONE.get().give();
    }
}
