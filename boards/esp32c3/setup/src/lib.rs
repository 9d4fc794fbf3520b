//! The board's logic that needs no hardware, so that `cargo test` runs it on the host:
//! - [`settings`]: what the user sets (Wi-Fi, identity, mode, interval) and its
//!   fixed-size record in flash;
//! - [`console`]: the serial console's line editor and command parser;
//! - [`ipv4`]: an address as text for the C side;
//! - [`slots`]: two flash sectors holding a record so that a power cut during a write
//!   leaves the old record or the new one, never garbage.
#![cfg_attr(not(test), no_std)]

pub mod console;
pub mod crc32;
pub mod ipv4;
pub mod settings;
pub mod slots;
