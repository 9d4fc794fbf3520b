//! The serial console on the chip: bytes from UART0 (boards with a USB-UART bridge) and
//! from the built-in USB-Serial-JTAG port go to one line editor; the commands are
//! setup::console's (parsed and tested on the host). Output goes through esp-println,
//! which writes to whichever port is in use.
use core::sync::atomic::Ordering::Relaxed;
use embassy_sync::blocking_mutex::raw::CriticalSectionRawMutex;
use embassy_sync::channel::Channel;
use esp_hal::Async;
use esp_hal::uart::UartRx;
use esp_hal::usb::usb_serial_jtag::UsbSerialJtagRx;
use esp_println::{print, println};
use xpl_esp32c3_setup::console::{self as cmd, Command, HELP, Key, LineEditor, Words};
use xpl_esp32c3_setup::settings::{RECORD_BYTES, Settings};

use crate::store::{self, Record};

/// Bytes typed and not yet edited; more are dropped (a paste of a long line: the
/// editor refuses the line whole anyway).
const INPUT_BYTES: usize = 64;
static INPUT: Channel<CriticalSectionRawMutex, u8, INPUT_BYTES> = Channel::new();

#[embassy_executor::task]
pub async fn uart_task(mut rx: UartRx<'static, Async>) {
    let mut buf = [0u8; 16];
    loop {
        if let Ok(n) = rx.read_async(&mut buf).await {
            for &b in &buf[..n] {
                let _ = INPUT.try_send(b);
            }
        }
    }
}

#[embassy_executor::task]
pub async fn usb_task(mut rx: UsbSerialJtagRx<'static, Async>) {
    let mut buf = [0u8; 16];
    loop {
        let Ok(n) = embedded_io_async::Read::read(&mut rx, &mut buf).await; // never fails
        for &b in &buf[..n] {
            let _ = INPUT.try_send(b);
        }
    }
}

/// What `show` prints besides the settings.
pub struct Status {
    pub source: &'static str,
    pub from_flash: bool,
}

fn show(s: &Settings, status: &Status) {
    let on = |b: bool| if b { "on" } else { "off" };
    println!("settings ({}; changes apply after reboot):", if status.from_flash { "from flash" } else { "build-time defaults" });
    println!("  wifi         {}", if s.ssid.is_empty() { "(none)" } else { s.ssid.as_str() });
    println!("  password     {}", if s.password.is_empty() { "(none: open network)" } else { "(set)" });
    println!("  source       {}{}", status.source, if s.source.is_empty() { " (default)" } else { "" });
    println!("  mode         {}", if s.app_mode { "app" } else { "basic" });
    println!("  interval     {}", s.interval_min);
    println!("  configurable {}", on(s.configurable));
    println!("  status-key   {}", on(s.status_key));
    let address = crate::device::NET_ADDRESS.load(Relaxed).to_be_bytes();
    let broadcast = crate::device::NET_BROADCAST.load(Relaxed).to_be_bytes();
    println!(
        "network: address {}.{}.{}.{}, broadcast {}.{}.{}.{}, port {}",
        address[0], address[1], address[2], address[3], broadcast[0], broadcast[1], broadcast[2], broadcast[3],
        crate::device::XPL_PORT
    );
    let (now, peak, blocks) = crate::wasm3_heap::usage();
    println!(
        "memory: wasm3 {now} B in {blocks} blocks (peak {peak} of {} B); heap {} B used of {} B; datagrams dropped (queue full) {}",
        crate::wasm3_heap::WASM3_HEAP_BYTES,
        esp_alloc::HEAP.used(),
        esp_alloc::HEAP.used() + esp_alloc::HEAP.free(),
        crate::bridge::RX_DROPPED.load(Relaxed)
    );
}

fn save(s: &Settings) {
    let mut record = [0u8; RECORD_BYTES];
    s.encode(&mut record);
    match store::store(Record::Settings, &record) {
        Ok(()) => println!("saved; `reboot` to use it"),
        Err(e) => println!("NOT saved: {e}"),
    }
}

fn run_line(line: &str, settings: &mut Settings, status: &Status) {
    let words = match Words::split(line) {
        Ok(w) => w,
        Err(e) => return println!("error: {}", e.describe()),
    };
    let command = match cmd::parse(&words) {
        Ok(c) => c,
        Err(e) => return println!("error: {}", e.describe()),
    };
    match command {
        Command::Empty => {}
        Command::Help => println!("{HELP}"),
        Command::Show => show(settings, status),
        Command::Reboot => {
            println!("rebooting");
            esp_hal::system::software_reset();
        }
        Command::Erase => {
            let a = store::erase(Record::Settings);
            let b = store::erase(Record::CoreConfig);
            match a.and(b) {
                Ok(()) => println!("settings and stored configuration erased; `reboot` to start from the build-time defaults"),
                Err(e) => println!("NOT erased: {e}"),
            }
        }
        ref c => match cmd::apply(settings, c) {
            Ok(true) => save(settings),
            Ok(false) => {}
            Err(e) => println!("error: {}", e.describe()),
        },
    }
}

/// Edits and runs the lines typed on the console. Never ends.
#[embassy_executor::task]
pub async fn console_task(mut settings: Settings, status: Status) {
    let mut editor = LineEditor::new();
    loop {
        let byte = INPUT.receive().await;
        match editor.push(byte) {
            Key::None => {}
            Key::Echo(b) => print!("{}", b as char),
            Key::Erase => print!("\x08 \x08"),
            Key::Refused => println!("\nerror: line longer than {} bytes or not UTF-8: ignored", cmd::LINE_BYTES_MAX),
            Key::Line(line) => {
                println!();
                run_line(line, &mut settings, &status);
            }
        }
    }
}
