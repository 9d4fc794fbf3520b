//! Compiles wasm3 0.5.0 (build/wasm3, fetched by scripts/fetch-wasm3.sh) and the
//! project's C shim (host/c) with Debian's riscv64-unknown-elf-gcc for the ESP32-C3
//! (rv32imc, ilp32), and embeds build/xpl-hbeat.wasm. Nothing of either is copied: the
//! files are compiled where they are.
//!
//! One fact in one place: the engine's configuration is host/c/shim/xh_engine.h,
//! force-included into every C file as on every other board, the engine's file list
//! (WASM3_NAMES) and its safety flags (WASM3_SAFE: -fwrapv ...) are read from
//! boards/qemu-rv32/board.mk, so this board runs the same engine build as qemu-rv32.
use std::env;
use std::path::{Path, PathBuf};

/// The shim files this board links, relative to the repository root: the core loader,
/// the xPL ABI, the device loop and the log-line helper it uses. Not the host tools
/// (replay, jsonl, hex, bench).
const SHIM_FILES: &[&str] = &[
    "host/c/shim/xh_core.c", "host/c/shim/xh_xpl.c", "host/c/shim/xh_loop.c", "host/c/shim/xh_device.c", "host/c/shim/xh_line.c",
];
/// Every C file of this board is compiled with this header forced in (-include).
const ENGINE_HEADER: &str = "host/c/shim/xh_engine.h";
/// Folders of the shim's headers, relative to the repository root.
const SHIM_INCLUDE_DIRS: &[&str] = &["host/c/shim"];

const CC: &str = "riscv64-unknown-elf-gcc";
const PICOLIBC_INCLUDE: &str = "/usr/lib/picolibc/riscv64-unknown-elf/include";
const ARCH_FLAGS: &[&str] = &["-march=rv32imc", "-mabi=ilp32"];

/// The build-time defaults main.rs reads with option_env! (README: set-up).
const SETTINGS_ENV: &[&str] = &["XPL_WIFI_SSID", "XPL_WIFI_PASSWORD", "XPL_SOURCE", "XPL_MODE", "XPL_INTERVAL"];

fn fail(what: &str) -> ! {
    eprintln!("xpl-esp32c3 build: error: {what}");
    std::process::exit(1);
}

/// The words of a make variable `NAME ?=` / `NAME :=` / `NAME =` (with `\` continuations).
fn make_variable(file: &Path, name: &str) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| fail(&format!("{}: {e}", file.display())));
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(rest) = line.strip_prefix(name) else { continue };
        let rest = rest.trim_start();
        let Some(value) = ["?=", ":=", "="].iter().find_map(|op| rest.strip_prefix(op)) else { continue };
        let mut words = String::from(value);
        while words.trim_end().ends_with('\\') {
            let cut = words.trim_end().len() - 1;
            words.truncate(cut);
            words.push(' ');
            words.push_str(lines.next().unwrap_or(""));
        }
        return words.split_whitespace().map(str::to_owned).collect();
    }
    fail(&format!("{} has no {name}", file.display()));
}

/// The build-time defaults, checked with the console's own rules: a value the console
/// would refuse stops the build here instead of being dropped on the chip.
fn check_settings_env() {
    use xpl_esp32c3_setup::settings::Settings;
    let var = |name: &str| env::var(name).ok();
    let mut s = Settings::empty();
    let refuse = |name: &str, why: &str| fail(&format!("{name}: {why}"));
    if let Some(ssid) = var("XPL_WIFI_SSID") {
        if let Err(e) = s.set_wifi(&ssid, &var("XPL_WIFI_PASSWORD").unwrap_or_default()) {
            refuse("XPL_WIFI_SSID / XPL_WIFI_PASSWORD", e.describe());
        }
    } else if var("XPL_WIFI_PASSWORD").is_some() {
        refuse("XPL_WIFI_PASSWORD", "set XPL_WIFI_SSID too");
    }
    if let Some(source) = var("XPL_SOURCE")
        && let Err(e) = s.set_source(&source)
    {
        refuse("XPL_SOURCE", e.describe());
    }
    if let Some(mode) = var("XPL_MODE")
        && mode != "basic"
        && mode != "app"
    {
        refuse("XPL_MODE", "basic or app");
    }
    if let Some(interval) = var("XPL_INTERVAL") {
        match interval.parse::<u8>() {
            Ok(m) if s.set_interval(m).is_ok() => {}
            _ => refuse("XPL_INTERVAL", "1 to 30 (minutes)"),
        }
    }
}

fn main() {
    check_settings_env();
    let board = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let repo = board.join("../..").canonicalize().unwrap();
    let wasm3 = repo.join("build/wasm3");
    let wasm = repo.join("build/xpl-hbeat.wasm");
    let engine_header = repo.join(ENGINE_HEADER);
    let qemu_board_mk = repo.join("boards/qemu-rv32/board.mk");
    if !wasm3.join("wasm3.h").is_file() {
        fail("build/wasm3 is missing: run scripts/fetch-wasm3.sh (scripts/build-esp32c3.sh does)");
    }
    if !wasm.is_file() {
        fail("build/xpl-hbeat.wasm is missing: run npx tsx scripts/build.ts (scripts/build-esp32c3.sh does)");
    }

    let wasm3_names = make_variable(&qemu_board_mk, "WASM3_NAMES");
    let wasm3_safe = make_variable(&qemu_board_mk, "WASM3_SAFE");
    if wasm3_names.is_empty() || !wasm3_safe.iter().all(|f| f.starts_with("-f")) || !engine_header.is_file() {
        fail("WASM3_NAMES / WASM3_SAFE in boards/qemu-rv32/board.mk or host/c/shim/xh_engine.h are not what this build script reads");
    }

    let base = || {
        let mut b = cc::Build::new();
        b.compiler(CC)
            .cargo_metadata(true)
            // rustc's -C force-frame-pointers has no GCC spelling for RISC-V.
            .inherit_rustflags(false)
            .opt_level_str("s")
            .debug(false)
            .flag("-ffunction-sections")
            .flag("-fdata-sections")
            .flag("-isystem")
            .flag(PICOLIBC_INCLUDE)
            // esp-rom-sys has its own __assert_func: the C side uses none.
            .define("NDEBUG", None)
            .include(&wasm3);
        for f in ARCH_FLAGS {
            b.flag(f);
        }
        b.flag("-include").flag(engine_header.to_str().unwrap());
        b
    };

    // The engine: its malloc family goes to the board's own arena (src/wasm3_heap.rs),
    // which reserves and counts wasm3's heap apart from Wi-Fi's.
    let mut engine = base();
    engine
        .warnings(false)
        .flag("-w")
        .define("malloc", "xpl_wasm3_malloc")
        .define("calloc", "xpl_wasm3_calloc")
        .define("realloc", "xpl_wasm3_realloc")
        .define("free", "xpl_wasm3_free");
    for f in &wasm3_safe {
        engine.flag(f);
    }
    for n in &wasm3_names {
        engine.file(wasm3.join(format!("{n}.c")));
    }
    engine.compile("xpl_wasm3");

    let mut shim = base();
    shim.flag("-std=c11").flag("-Wall").flag("-Wextra").flag("-Wshadow");
    for dir in SHIM_INCLUDE_DIRS {
        shim.include(repo.join(dir));
    }
    for f in SHIM_FILES {
        shim.file(repo.join(f));
        println!("cargo:rerun-if-changed={}", repo.join(f).display());
    }
    shim.file(board.join("c/board_libc.c"));
    shim.file(board.join("c/board_device.c"));
    shim.compile("xpl_shim");

    println!("cargo:rustc-env=XPL_WASM_PATH={}", wasm.display());
    println!("cargo:rerun-if-changed={}", wasm.display());
    println!("cargo:rerun-if-changed={}", wasm3.join(".fetched").display());
    println!("cargo:rerun-if-changed={}", engine_header.display());
    println!("cargo:rerun-if-changed={}", qemu_board_mk.display());
    println!("cargo:rerun-if-changed=c");
    for dir in SHIM_INCLUDE_DIRS {
        println!("cargo:rerun-if-changed={}", repo.join(dir).display());
    }
    for v in SETTINGS_ENV {
        println!("cargo:rerun-if-env-changed={v}");
    }
}
