//! What the user sets on the board without a toolchain (serial console or build-time
//! environment), and its fixed-size record in flash.
//!
//! The record is versioned and every field is checked on decode: a record that does
//! not decode is reported and the build-time defaults are used instead (the flash
//! layer below already guarantees it is a whole record, see [`crate::slots`]).

/// IEEE 802.11: an SSID is 1..32 bytes.
pub const SSID_BYTES_MAX: usize = 32;
/// WPA2-Personal passphrase: 8..63 characters (empty: an open network).
pub const PASSWORD_BYTES_MAX: usize = 63;
pub const PASSWORD_BYTES_MIN: usize = 8;
/// `vendor-device.instance`: 8 + 1 + 8 + 1 + 16 (assembly/xpl/limits.ts ADDRESS_MAX).
pub const SOURCE_BYTES_MAX: usize = 34;
pub const VENDOR_BYTES_MAX: usize = 8;
pub const DEVICE_BYTES_MAX: usize = 8;
pub const INSTANCE_BYTES_MAX: usize = 16;
/// The core's range (assembly/xpl/device/config.ts); 0 here: the core's default (5).
pub const INTERVAL_MIN_MINUTES: u8 = 1;
pub const INTERVAL_MAX_MINUTES: u8 = 30;

pub const RECORD_VERSION: u8 = 1;
/// version, flags, interval, then each text as a length byte and its full-size field.
pub const RECORD_BYTES: usize = 3 + (1 + SSID_BYTES_MAX) + (1 + PASSWORD_BYTES_MAX) + (1 + SOURCE_BYTES_MAX);

const FLAG_APP_MODE: u8 = 1;
const FLAG_CONFIGURABLE: u8 = 2;
const FLAG_STATUS_KEY: u8 = 4;
const FLAGS_KNOWN: u8 = FLAG_APP_MODE | FLAG_CONFIGURABLE | FLAG_STATUS_KEY;

/// Text of at most N bytes, UTF-8, stored inline (no allocation).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Text<const N: usize> {
    len: u8,
    bytes: [u8; N],
}

impl<const N: usize> Text<N> {
    pub const fn empty() -> Self {
        Self { len: 0, bytes: [0; N] }
    }

    /// None when `s` is longer than N bytes.
    pub fn new(s: &str) -> Option<Self> {
        if s.len() > N {
            return None;
        }
        let mut t = Self::empty();
        t.bytes[..s.len()].copy_from_slice(s.as_bytes());
        t.len = s.len() as u8;
        Some(t)
    }

    pub fn as_str(&self) -> &str {
        // Only ever filled from a &str or a checked record.
        core::str::from_utf8(&self.bytes[..self.len as usize]).unwrap_or("")
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn encode(&self, out: &mut [u8]) {
        out[0] = self.len;
        out[1..1 + N].fill(0);
        out[1..1 + self.len as usize].copy_from_slice(&self.bytes[..self.len as usize]);
    }

    fn decode(input: &[u8]) -> Option<Self> {
        let len = input[0] as usize;
        if len > N {
            return None;
        }
        Self::new(core::str::from_utf8(&input[1..1 + len]).ok()?)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Settings {
    pub ssid: Text<SSID_BYTES_MAX>,
    pub password: Text<PASSWORD_BYTES_MAX>,
    /// Empty: the board's default, `xplhbeat-esp32c3.` + the last 3 bytes of its MAC in hex.
    pub source: Text<SOURCE_BYTES_MAX>,
    /// false: basic mode (the device owns the xPL port on its address); true: app mode.
    pub app_mode: bool,
    /// 0: the core's default (5 minutes).
    pub interval_min: u8,
    pub configurable: bool,
    pub status_key: bool,
}

/// Why a record or a value was refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SettingsError {
    RecordLength,
    RecordVersion,
    RecordFlags,
    SsidLength,
    PasswordLength,
    SourceFormat,
    SourceLength,
    SourceChar,
    Interval,
}

impl SettingsError {
    pub fn describe(self) -> &'static str {
        match self {
            Self::RecordLength => "settings record: wrong length",
            Self::RecordVersion => "settings record: unknown version",
            Self::RecordFlags => "settings record: unknown flags",
            Self::SsidLength => "the SSID is 1 to 32 bytes",
            Self::PasswordLength => "the password is 8 to 63 characters (none: an open network)",
            Self::SourceFormat => "the source is vendor-device.instance",
            Self::SourceLength => "vendor 1-8, device 1-8, instance 1-16 characters",
            Self::SourceChar => "vendor and device: a-z 0-9; instance: a-z 0-9 -",
            Self::Interval => "the interval is 1 to 30 minutes",
        }
    }
}

impl Settings {
    /// Nothing set: no Wi-Fi network, the default source, basic mode, the core's interval.
    pub const fn empty() -> Self {
        Self {
            ssid: Text::empty(),
            password: Text::empty(),
            source: Text::empty(),
            app_mode: false,
            interval_min: 0,
            configurable: false,
            status_key: false,
        }
    }

    pub fn set_wifi(&mut self, ssid: &str, password: &str) -> Result<(), SettingsError> {
        if ssid.is_empty() || ssid.len() > SSID_BYTES_MAX {
            return Err(SettingsError::SsidLength);
        }
        if !password.is_empty() && (password.len() < PASSWORD_BYTES_MIN || password.len() > PASSWORD_BYTES_MAX) {
            return Err(SettingsError::PasswordLength);
        }
        self.ssid = Text::new(ssid).ok_or(SettingsError::SsidLength)?;
        self.password = Text::new(password).ok_or(SettingsError::PasswordLength)?;
        Ok(())
    }

    /// "" sets the board's default source back.
    pub fn set_source(&mut self, source: &str) -> Result<(), SettingsError> {
        if !source.is_empty() {
            check_source(source)?;
        }
        let mut t = Text::new(source).ok_or(SettingsError::SourceLength)?;
        t.bytes[..t.len as usize].make_ascii_lowercase();
        self.source = t;
        Ok(())
    }

    pub fn set_interval(&mut self, minutes: u8) -> Result<(), SettingsError> {
        if minutes != 0 && !(INTERVAL_MIN_MINUTES..=INTERVAL_MAX_MINUTES).contains(&minutes) {
            return Err(SettingsError::Interval);
        }
        self.interval_min = minutes;
        Ok(())
    }

    pub fn encode(&self, out: &mut [u8; RECORD_BYTES]) {
        out[0] = RECORD_VERSION;
        out[1] = (self.app_mode as u8 * FLAG_APP_MODE)
            | (self.configurable as u8 * FLAG_CONFIGURABLE)
            | (self.status_key as u8 * FLAG_STATUS_KEY);
        out[2] = self.interval_min;
        let mut at = 3;
        self.ssid.encode(&mut out[at..]);
        at += 1 + SSID_BYTES_MAX;
        self.password.encode(&mut out[at..]);
        at += 1 + PASSWORD_BYTES_MAX;
        self.source.encode(&mut out[at..]);
        debug_assert_eq!(at + 1 + SOURCE_BYTES_MAX, RECORD_BYTES);
    }

    /// Every field is checked again, as if typed on the console.
    pub fn decode(input: &[u8]) -> Result<Self, SettingsError> {
        if input.len() != RECORD_BYTES {
            return Err(SettingsError::RecordLength);
        }
        if input[0] != RECORD_VERSION {
            return Err(SettingsError::RecordVersion);
        }
        let flags = input[1];
        if flags & !FLAGS_KNOWN != 0 {
            return Err(SettingsError::RecordFlags);
        }
        let mut s = Self::empty();
        s.app_mode = flags & FLAG_APP_MODE != 0;
        s.configurable = flags & FLAG_CONFIGURABLE != 0;
        s.status_key = flags & FLAG_STATUS_KEY != 0;
        s.set_interval(input[2])?;
        let mut at = 3;
        let ssid = Text::<SSID_BYTES_MAX>::decode(&input[at..]).ok_or(SettingsError::SsidLength)?;
        at += 1 + SSID_BYTES_MAX;
        let password = Text::<PASSWORD_BYTES_MAX>::decode(&input[at..]).ok_or(SettingsError::PasswordLength)?;
        at += 1 + PASSWORD_BYTES_MAX;
        let source = Text::<SOURCE_BYTES_MAX>::decode(&input[at..]).ok_or(SettingsError::SourceLength)?;
        if !ssid.is_empty() {
            s.set_wifi(ssid.as_str(), password.as_str())?;
        } else if !password.is_empty() {
            return Err(SettingsError::SsidLength);
        }
        s.set_source(source.as_str())?;
        Ok(s)
    }
}

/// `vendor-device.instance` with the core's rules (assembly/xpl/names.ts checkAddress):
/// the first `-` ends the vendor, the first `.` after it ends the device; upper case
/// is accepted (the core compares case-insensitively and sends lower case).
pub fn check_source(source: &str) -> Result<(), SettingsError> {
    let b = source.as_bytes();
    let dash = b.iter().position(|&c| c == b'-').ok_or(SettingsError::SourceFormat)?;
    let dot = dash + 1 + b[dash + 1..].iter().position(|&c| c == b'.').ok_or(SettingsError::SourceFormat)?;
    let (vendor, device, instance) = (&b[..dash], &b[dash + 1..dot], &b[dot + 1..]);
    if vendor.is_empty() || vendor.len() > VENDOR_BYTES_MAX {
        return Err(SettingsError::SourceLength);
    }
    if device.is_empty() || device.len() > DEVICE_BYTES_MAX {
        return Err(SettingsError::SourceLength);
    }
    if instance.is_empty() || instance.len() > INSTANCE_BYTES_MAX {
        return Err(SettingsError::SourceLength);
    }
    let name = |c: &u8| c.is_ascii_alphanumeric();
    if !vendor.iter().all(name) || !device.iter().all(name) || !instance.iter().all(|c| name(c) || *c == b'-') {
        return Err(SettingsError::SourceChar);
    }
    Ok(())
}

/// The default source of a board: `xplhbeat-esp32c3.` and the last 3 bytes of its MAC
/// in hex, so that boards flashed with one image have distinct names.
pub fn default_source(mac: &[u8; 6]) -> Text<SOURCE_BYTES_MAX> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    const PREFIX: &str = "xplhbeat-esp32c3.";
    let mut t = Text::new(PREFIX).unwrap_or(Text::empty());
    for &byte in &mac[3..] {
        t.bytes[t.len as usize] = HEX[(byte >> 4) as usize];
        t.bytes[t.len as usize + 1] = HEX[(byte & 15) as usize];
        t.len += 2;
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full() -> Settings {
        let mut s = Settings::empty();
        s.set_wifi("home network", "correct horse battery").unwrap();
        s.set_source("acme-lamp.kitchen-1").unwrap();
        s.app_mode = true;
        s.configurable = true;
        s.status_key = false;
        s.set_interval(7).unwrap();
        s
    }

    #[test]
    fn a_record_decodes_to_the_settings_it_was_encoded_from() {
        let mut record = [0u8; RECORD_BYTES];
        for s in [Settings::empty(), full()] {
            s.encode(&mut record);
            assert_eq!(Settings::decode(&record), Ok(s));
        }
    }

    #[test]
    fn the_record_has_a_fixed_size_and_longest_values_fit() {
        let mut s = Settings::empty();
        s.set_wifi(&"s".repeat(32), &"p".repeat(63)).unwrap();
        s.set_source("vendor12-device12.instance-123456").unwrap();
        let mut record = [0u8; RECORD_BYTES];
        s.encode(&mut record);
        assert_eq!(RECORD_BYTES, 135);
        assert_eq!(Settings::decode(&record), Ok(s));
    }

    #[test]
    fn a_damaged_record_is_refused_by_reason() {
        let mut record = [0u8; RECORD_BYTES];
        full().encode(&mut record);
        assert_eq!(Settings::decode(&record[..RECORD_BYTES - 1]), Err(SettingsError::RecordLength));
        let mut r = record;
        r[0] = 2;
        assert_eq!(Settings::decode(&r), Err(SettingsError::RecordVersion));
        let mut r = record;
        r[1] |= 0x80;
        assert_eq!(Settings::decode(&r), Err(SettingsError::RecordFlags));
        let mut r = record;
        r[2] = 31;
        assert_eq!(Settings::decode(&r), Err(SettingsError::Interval));
        let mut r = record;
        r[3] = 33;
        assert_eq!(Settings::decode(&r), Err(SettingsError::SsidLength));
        let mut r = record;
        r[4] = 0xff; // not UTF-8
        assert_eq!(Settings::decode(&r), Err(SettingsError::SsidLength));
        let mut r = record;
        r[3 + 33] = 3; // a 3-character password
        assert_eq!(Settings::decode(&r), Err(SettingsError::PasswordLength));
        let mut r = record;
        r[3 + 33 + 64 + 1] = b'!';
        assert_eq!(Settings::decode(&r), Err(SettingsError::SourceChar));
    }

    #[test]
    fn the_source_follows_the_cores_address_rules() {
        let mut s = Settings::empty();
        assert_eq!(s.set_source("ACME-Lamp.Kitchen-1"), Ok(()));
        assert_eq!(s.source.as_str(), "acme-lamp.kitchen-1");
        assert_eq!(s.set_source("acme.lamp"), Err(SettingsError::SourceFormat));
        assert_eq!(s.set_source("acme-lamp"), Err(SettingsError::SourceFormat));
        assert_eq!(s.set_source("-lamp.one"), Err(SettingsError::SourceLength));
        assert_eq!(s.set_source("vendor123-lamp.one"), Err(SettingsError::SourceLength));
        assert_eq!(s.set_source("acme-device123.one"), Err(SettingsError::SourceLength));
        assert_eq!(s.set_source("acme-lamp."), Err(SettingsError::SourceLength));
        assert_eq!(s.set_source("acme-lamp.instance-12345678"), Err(SettingsError::SourceLength));
        assert_eq!(s.set_source("ac_me-lamp.one"), Err(SettingsError::SourceChar));
        assert_eq!(s.set_source("acme-lamp.o.ne"), Err(SettingsError::SourceChar));
        assert_eq!(s.source.as_str(), "acme-lamp.kitchen-1", "a refused value changes nothing");
        assert_eq!(s.set_source(""), Ok(()));
        assert!(s.source.is_empty());
    }

    #[test]
    fn wifi_passwords_are_wpa2_passphrases_or_none() {
        let mut s = Settings::empty();
        assert_eq!(s.set_wifi("", "password1"), Err(SettingsError::SsidLength));
        assert_eq!(s.set_wifi(&"s".repeat(33), ""), Err(SettingsError::SsidLength));
        assert_eq!(s.set_wifi("net", "short"), Err(SettingsError::PasswordLength));
        assert_eq!(s.set_wifi("net", &"p".repeat(64)), Err(SettingsError::PasswordLength));
        assert_eq!(s.set_wifi("cafe", ""), Ok(()));
        assert!(s.password.is_empty());
    }

    #[test]
    fn the_interval_is_the_cores_range_or_its_default() {
        let mut s = Settings::empty();
        assert_eq!(s.set_interval(0), Ok(()));
        assert_eq!(s.set_interval(1), Ok(()));
        assert_eq!(s.set_interval(30), Ok(()));
        assert_eq!(s.set_interval(31), Err(SettingsError::Interval));
        assert_eq!(s.interval_min, 30);
    }

    #[test]
    fn the_default_source_names_the_board_by_its_mac() {
        let source = default_source(&[0x34, 0x85, 0x18, 0xa1, 0x0b, 0xff]);
        assert_eq!(source.as_str(), "xplhbeat-esp32c3.a10bff");
        assert_eq!(check_source(source.as_str()), Ok(()));
    }
}
