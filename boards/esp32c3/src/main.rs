//! xpl-hbeat on an ESP32-C3: the xPL heartbeat device of this repository (the release
//! .wasm under wasm3, through the C shim in host/c) on Wi-Fi.
//!
//! Threads (esp-rtos): the main thread runs the embassy executor (Wi-Fi connection,
//! embassy-net with DHCP, the device's UDP socket, the console, the network watcher);
//! the device thread runs the C device loop (src/device.rs), which sleeps in
//! xh_udp_receive until a datagram or the core's next deadline.
#![no_std]
#![no_main]

extern crate alloc;

mod bridge;
mod console;
mod device;
mod platform;
mod store;
mod wasm3_heap;

use core::mem::MaybeUninit;
use core::ptr::addr_of_mut;

use embassy_executor::Spawner;
use embassy_net::{Runner, Stack, StackResources};
use embassy_time::{Duration, Timer};
use esp_alloc::{HeapRegion, MemoryCapability};
use esp_backtrace as _;
use esp_hal::clock::CpuClock;
use esp_hal::ram;
use esp_hal::rng::Rng;
use esp_hal::uart::{self, UartRx};
use esp_hal::usb::usb_serial_jtag::UsbSerialJtag;
use esp_println::println;
use esp_radio::wifi::sta::StationConfig;
use esp_radio::wifi::{AuthenticationMethodConfig, Config, ControllerConfig, Interface, WifiController};
use static_cell::StaticCell;
use xpl_esp32c3_setup::settings::{RECORD_BYTES, Settings, Text, default_source};

esp_bootloader_esp_idf::esp_app_desc!();

/// The global heap (Wi-Fi's driver and buffers, esp-rtos thread stacks including the
/// device thread's, embassy-net): RAM the second-stage bootloader used, plus a block of
/// .bss. Named symbols, so that the bench reads them from the ELF (nm -S).
const HEAP_RECLAIMED_BYTES: usize = 64 * 1024;
const HEAP_MAIN_BYTES: usize = 72 * 1024;
#[ram(reclaimed)]
#[unsafe(no_mangle)]
static mut XPL_HEAP_RECLAIMED: MaybeUninit<[u8; HEAP_RECLAIMED_BYTES]> = MaybeUninit::uninit();
#[unsafe(no_mangle)]
static mut XPL_HEAP_MAIN: MaybeUninit<[u8; HEAP_MAIN_BYTES]> = MaybeUninit::uninit();

/// Sockets: DHCP and the device's UDP socket, and one spare.
const SOCKETS: usize = 3;
const RECONNECT_DELAY: Duration = Duration::from_secs(5);

/// Build-time defaults (README: set-up); build.rs refuses values the console would refuse.
fn build_defaults() -> Settings {
    let mut s = Settings::empty();
    if let Some(ssid) = option_env!("XPL_WIFI_SSID") {
        let _ = s.set_wifi(ssid, option_env!("XPL_WIFI_PASSWORD").unwrap_or(""));
    }
    if let Some(source) = option_env!("XPL_SOURCE") {
        let _ = s.set_source(source);
    }
    s.app_mode = option_env!("XPL_MODE") == Some("app");
    if let Some(minutes) = option_env!("XPL_INTERVAL").and_then(|m| m.parse().ok()) {
        let _ = s.set_interval(minutes);
    }
    s
}

/// The settings in flash, else the build-time defaults; true when from flash.
fn load_settings() -> (Settings, bool) {
    let mut record = [0u8; RECORD_BYTES];
    match store::load(store::Record::Settings, &mut record) {
        Ok(RECORD_BYTES) => match Settings::decode(&record) {
            Ok(s) => return (s, true),
            Err(e) => println!("settings in flash refused ({}): build-time defaults", e.describe()),
        },
        Ok(0) => println!("no settings in flash: build-time defaults"),
        Ok(n) => println!("settings in flash have {n} bytes, not {RECORD_BYTES}: build-time defaults"),
        Err(e) => println!("settings not read ({e}): build-time defaults"),
    }
    (build_defaults(), false)
}

#[esp_rtos::main]
async fn main(spawner: Spawner) -> ! {
    esp_println::logger::init_logger_from_env(); // esp-radio's warnings (ESP_LOG, .cargo/config.toml)
    let peripherals = esp_hal::init(esp_hal::Config::default().with_cpu_clock(CpuClock::max()));
    unsafe {
        esp_alloc::HEAP.add_region(HeapRegion::new(
            addr_of_mut!(XPL_HEAP_RECLAIMED) as *mut u8,
            HEAP_RECLAIMED_BYTES,
            MemoryCapability::Internal.into(),
        ));
        esp_alloc::HEAP.add_region(HeapRegion::new(
            addr_of_mut!(XPL_HEAP_MAIN) as *mut u8,
            HEAP_MAIN_BYTES,
            MemoryCapability::Internal.into(),
        ));
    }
    println!();
    println!("xpl-hbeat {} on esp32c3: xPL heartbeat device (wasm3 0.5.0 + host/c shim)", env!("CARGO_PKG_VERSION"));
    println!(
        "memory: heap {} B (Wi-Fi, threads, network), wasm3 arena {} B",
        HEAP_RECLAIMED_BYTES + HEAP_MAIN_BYTES,
        wasm3_heap::WASM3_HEAP_BYTES
    );

    let systimer = esp_hal::timer::systimer::SystemTimer::new(peripherals.SYSTIMER);
    esp_rtos::start(systimer.alarm0, peripherals.FROM_CPU_INTR0);
    bridge::init();
    wasm3_heap::init();
    match store::init(peripherals.FLASH) {
        Ok((base, len)) => println!("flash: settings and configuration in the nvs partition at {base:#x} ({len} B)"),
        Err(e) => println!("flash: NOT available ({e}): settings and configuration are not kept"),
    }
    let (settings, from_flash) = load_settings();

    static SOURCE: StaticCell<Text<{ xpl_esp32c3_setup::settings::SOURCE_BYTES_MAX }>> = StaticCell::new();
    let mac: [u8; 6] = esp_hal::efuse::base_mac_address().as_bytes().try_into().unwrap_or([0; 6]);
    let source = SOURCE.init(if settings.source.is_empty() { default_source(&mac) } else { settings.source });
    let source: &'static str = source.as_str();

    // The console: UART0 (GPIO20 RX) and the USB-Serial-JTAG port, both at once.
    match UartRx::new(peripherals.UART0, uart::Config::default()) {
        Ok(rx) => spawner.spawn(console::uart_task(rx.with_rx(peripherals.GPIO20).into_async()).unwrap()),
        Err(e) => println!("console: UART0 not available: {e:?}"),
    }
    let (usb_rx, _usb_tx) = UsbSerialJtag::new(peripherals.USB_DEVICE).into_async().split();
    spawner.spawn(console::usb_task(usb_rx).unwrap());
    spawner.spawn(console::console_task(settings, console::Status { source, from_flash }).unwrap());
    println!("console: 115200 baud; type `help` for the commands");

    if settings.ssid.is_empty() {
        println!("no Wi-Fi network set: type `wifi SSID PASSWORD`, then `reboot`");
        loop {
            Timer::after(Duration::from_secs(3600)).await;
        }
    }

    let auth = if settings.password.is_empty() {
        AuthenticationMethodConfig::Open
    } else {
        AuthenticationMethodConfig::WpaWpa2Personal(settings.password.as_str().try_into().unwrap())
    };
    let station = Config::Station(
        StationConfig::default().with_ssid(settings.ssid.as_str().try_into().unwrap()).with_authentication(auth),
    );
    let controller = WifiController::new(peripherals.WIFI, ControllerConfig::default().with_initial_config(station))
        .expect("Wi-Fi controller");
    let rng = Rng::new();
    let seed = ((rng.random() as u64) << 32) | rng.random() as u64;
    static RESOURCES: StaticCell<StackResources<SOCKETS>> = StaticCell::new();
    let (stack, runner) = embassy_net::new(
        Interface::station(),
        embassy_net::Config::dhcpv4(Default::default()),
        RESOURCES.init(StackResources::new()),
        seed,
    );
    spawner.spawn(wifi_task(controller, settings.ssid).unwrap());
    spawner.spawn(net_task(runner).unwrap());
    spawner.spawn(bridge::udp_task(stack).unwrap());
    println!(
        "device: {source}, {} mode, heartbeats to the network's directed broadcast, port {}",
        if settings.app_mode { "app" } else { "basic" },
        device::XPL_PORT
    );
    device::start(&settings, source);
    watch_network(stack).await
}

/// Tells the device thread about every address the network gets or loses.
async fn watch_network(stack: Stack<'static>) -> ! {
    loop {
        stack.wait_config_up().await;
        if let Some(c) = stack.config_v4() {
            let broadcast = c.address.broadcast().map(|b| b.to_bits()).unwrap_or(u32::MAX);
            println!("network: address {}, directed broadcast {}", c.address, embassy_net::Ipv4Address::from_bits(broadcast));
            device::network_changed(c.address.address().to_bits(), broadcast);
        }
        stack.wait_config_down().await;
        println!("network: address lost; the device keeps its state and its sends fail until it is back");
        device::network_changed(0, 0);
    }
}

/// Connects, and connects again whenever the network is lost. Never ends.
#[embassy_executor::task]
async fn wifi_task(mut controller: WifiController<'static>, ssid: Text<{ xpl_esp32c3_setup::settings::SSID_BYTES_MAX }>) {
    loop {
        match controller.connect_async().await {
            Ok(_) => {
                println!("wifi: connected to {}", ssid.as_str());
                let why = controller.wait_for_disconnect_async().await;
                println!("wifi: lost ({why:?}); reconnecting");
            }
            Err(e) => println!("wifi: connecting to {} failed ({e:?}); again in 5 s", ssid.as_str()),
        }
        Timer::after(RECONNECT_DELAY).await;
    }
}

#[embassy_executor::task]
async fn net_task(mut runner: Runner<'static, Interface>) {
    runner.run().await
}
