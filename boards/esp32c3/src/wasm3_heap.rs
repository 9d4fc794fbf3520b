//! wasm3's heap: an arena of its own, reserved in .bss and counted, apart from the
//! global heap that Wi-Fi and the tasks use. build.rs compiles wasm3 with
//! `-Dmalloc=xpl_wasm3_malloc` (and calloc, realloc, free), so every byte the engine
//! allocates comes from here; the shim allocates nothing (host/c/README.md).
use core::alloc::{GlobalAlloc, Layout};
use core::mem::MaybeUninit;
use core::ptr::addr_of_mut;
use core::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use esp_alloc::{EspHeap, HeapRegion, MemoryCapability};

/// The qemu-rv32 figure for the same engine build is `wasm3_heap_bytes` in `npm run bench`
/// (every function compiled at load, under 56 KiB); the rest is the allocator's own
/// overhead and a margin.
pub const WASM3_HEAP_BYTES: usize = 80 * 1024;
/// Each block starts with its size, for free and realloc (C does not pass it).
const HEADER_BYTES: usize = 8;
const ALIGN_BYTES: usize = 8;

/// A named symbol, so that the bench reads the reservation from the ELF (nm -S).
#[unsafe(no_mangle)]
static mut XPL_WASM3_ARENA: MaybeUninit<[u8; WASM3_HEAP_BYTES]> = MaybeUninit::uninit();
static ARENA: EspHeap = EspHeap::empty();
static IN_USE_BYTES: AtomicUsize = AtomicUsize::new(0);
static PEAK_BYTES: AtomicUsize = AtomicUsize::new(0);
static BLOCKS: AtomicUsize = AtomicUsize::new(0);

/// Once, before the device thread starts.
pub fn init() {
    unsafe {
        ARENA.add_region(HeapRegion::new(
            addr_of_mut!(XPL_WASM3_ARENA) as *mut u8,
            WASM3_HEAP_BYTES,
            MemoryCapability::Internal.into(),
        ));
    }
}

/// (bytes the engine holds now, the most it ever held, blocks now)
pub fn usage() -> (usize, usize, usize) {
    (IN_USE_BYTES.load(Relaxed), PEAK_BYTES.load(Relaxed), BLOCKS.load(Relaxed))
}

fn layout(n: usize) -> Option<Layout> {
    Layout::from_size_align(n.checked_add(HEADER_BYTES)?, ALIGN_BYTES).ok()
}

fn account(added: usize, removed: usize) {
    // Only the device thread calls the engine: no two updates race (and rv32imc has
    // no atomic read-modify-write).
    let now = IN_USE_BYTES.load(Relaxed) + added - removed;
    IN_USE_BYTES.store(now, Relaxed);
    if now > PEAK_BYTES.load(Relaxed) {
        PEAK_BYTES.store(now, Relaxed);
    }
}

/// C's malloc for wasm3 (device thread only): NULL when the arena is full.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn xpl_wasm3_malloc(n: usize) -> *mut u8 {
    let n = n.max(1);
    let Some(l) = layout(n) else { return core::ptr::null_mut() };
    let block = unsafe { ARENA.alloc(l) };
    if block.is_null() {
        return block;
    }
    unsafe { (block as *mut usize).write(n) };
    account(n, 0);
    BLOCKS.store(BLOCKS.load(Relaxed) + 1, Relaxed);
    unsafe { block.add(HEADER_BYTES) }
}

/// C's calloc for wasm3 (device thread only).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn xpl_wasm3_calloc(count: usize, size: usize) -> *mut u8 {
    let Some(n) = count.checked_mul(size) else { return core::ptr::null_mut() };
    let p = unsafe { xpl_wasm3_malloc(n) };
    if !p.is_null() {
        unsafe { p.write_bytes(0, n) };
    }
    p
}

/// C's free for wasm3 (device thread only).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn xpl_wasm3_free(p: *mut u8) {
    if p.is_null() {
        return;
    }
    let block = unsafe { p.sub(HEADER_BYTES) };
    let n = unsafe { (block as *const usize).read() };
    account(0, n);
    BLOCKS.store(BLOCKS.load(Relaxed) - 1, Relaxed);
    unsafe { ARENA.dealloc(block, layout(n).unwrap()) };
}

/// C's realloc for wasm3 (device thread only): the old block stays valid on failure.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn xpl_wasm3_realloc(p: *mut u8, n: usize) -> *mut u8 {
    if p.is_null() {
        return unsafe { xpl_wasm3_malloc(n) };
    }
    let old = unsafe { (p.sub(HEADER_BYTES) as *const usize).read() };
    let q = unsafe { xpl_wasm3_malloc(n) };
    if q.is_null() {
        return q;
    }
    unsafe {
        core::ptr::copy_nonoverlapping(p, q, old.min(n.max(1)));
        xpl_wasm3_free(p);
    }
    q
}
