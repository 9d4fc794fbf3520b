//! Flash: the user's settings and the core's configuration blob, each a record in two
//! sectors of the `nvs` data partition (this board does not use ESP-IDF's NVS, and
//! esp-radio stores nothing there). setup::slots makes every store all-or-nothing.
//!
//! | sectors of nvs | record |
//! |---|---|
//! | 0, 1 | settings (setup::settings, written by the console) |
//! | 2, 3 | the core's configuration (xh_config_store, written by the device thread) |
use core::cell::UnsafeCell;
use esp_bootloader_esp_idf::partitions::{self, DataPartitionSubType, PartitionType};
use esp_radio_rtos_driver::semaphore::{SemaphoreHandle, SemaphoreKind};
use esp_storage::FlashStorage;
use xpl_esp32c3_setup::slots::{SlotError, Slots};

const SECTOR_BYTES: u32 = FlashStorage::SECTOR_SIZE;
const SECTORS_NEEDED: u32 = 4;

pub enum Record {
    Settings,
    CoreConfig,
}

struct Store {
    flash: UnsafeCell<FlashStorage<'static>>,
    /// Console (main thread) and device thread both write: one at a time. A mutex that
    /// blocks the caller's thread, not a critical section: an erase takes tens of ms
    /// and esp-storage already masks interrupts for each flash operation itself.
    lock: SemaphoreHandle,
    settings: Slots,
    core_config: Slots,
}

struct StoreCell(UnsafeCell<Option<Store>>);
// Written once by init() before any other thread exists; then only read, and the
// flash inside is reached under `lock`.
unsafe impl Sync for StoreCell {}
static STORE: StoreCell = StoreCell(UnsafeCell::new(None));

/// Finds the nvs partition; Err says why the board runs without storage.
pub fn init(flash: esp_hal::peripherals::FLASH<'static>) -> Result<(u32, u32), &'static str> {
    let mut flash = FlashStorage::new(flash);
    let mut table = [0u8; partitions::PARTITION_TABLE_MAX_LEN];
    let pt = partitions::read_partition_table(&mut flash, &mut table).map_err(|_| "no partition table")?;
    let nvs = pt
        .find_partition(PartitionType::Data(DataPartitionSubType::Nvs))
        .map_err(|_| "partition table unreadable")?
        .ok_or("no nvs data partition")?;
    let (base, len) = (nvs.offset(), nvs.len());
    if base % SECTOR_BYTES != 0 || len < SECTORS_NEEDED * SECTOR_BYTES {
        return Err("the nvs partition is smaller than 4 sectors");
    }
    let store = Store {
        flash: UnsafeCell::new(flash),
        lock: SemaphoreHandle::new(SemaphoreKind::Mutex),
        settings: Slots::new(base, SECTOR_BYTES),
        core_config: Slots::new(base + 2 * SECTOR_BYTES, SECTOR_BYTES),
    };
    unsafe { *STORE.0.get() = Some(store) };
    Ok((base, len))
}

fn with<R>(record: Record, f: impl FnOnce(&Slots, &mut FlashStorage<'static>) -> Result<R, SlotError>) -> Result<R, &'static str> {
    let Some(store) = (unsafe { (*STORE.0.get()).as_ref() }) else { return Err("no flash storage (see the start-up log)") };
    store.lock.take(None);
    let slots = match record {
        Record::Settings => &store.settings,
        Record::CoreConfig => &store.core_config,
    };
    let r = f(slots, unsafe { &mut *store.flash.get() });
    store.lock.give();
    r.map_err(SlotError::describe)
}

pub fn load(record: Record, out: &mut [u8]) -> Result<usize, &'static str> {
    with(record, |slots, flash| slots.load(flash, out))
}

pub fn store(record: Record, data: &[u8]) -> Result<(), &'static str> {
    with(record, |slots, flash| slots.store(flash, data))
}

pub fn erase(record: Record) -> Result<(), &'static str> {
    with(record, |slots, flash| slots.erase(flash))
}
