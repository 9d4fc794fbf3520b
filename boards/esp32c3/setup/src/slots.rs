//! A record in two flash sectors, written so that a power cut at any moment leaves the
//! previous record or the new one, never garbage (xh_platform.h: "stored whole or not
//! at all").
//!
//! Each sector (a slot) holds one record: a 16-byte header (magic, sequence number,
//! length, CRC-32 of sequence, length and data) and the data, padded to the flash's
//! write size with 0xff. A store erases the slot that does NOT hold the newest valid
//! record and writes the new record there with the next sequence number: until its
//! last byte is written its CRC does not match, so a load keeps returning the old one.
//! A load takes the valid slot with the newer sequence number (wrap-safe).
use crate::crc32::{crc32_begin, crc32_end, crc32_update};
use embedded_storage::nor_flash::NorFlash;

pub const SLOT_MAGIC: u32 = 0x5853_4c54; // "XSLT"
pub const HEADER_BYTES: usize = 16;
/// Writes and reads are made in words of this size (ESP32-C3 flash: 4).
const WORD_BYTES: usize = 4;
const CHUNK_BYTES: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotError {
    /// The record does not fit a slot (sector minus header).
    TooLong,
    /// The caller's buffer is smaller than the stored record.
    BufferTooSmall,
    /// The flash driver failed (read, erase or write).
    Flash,
}

impl SlotError {
    pub fn describe(self) -> &'static str {
        match self {
            Self::TooLong => "the record is longer than a flash slot",
            Self::BufferTooSmall => "the stored record is longer than the buffer",
            Self::Flash => "the flash driver failed",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Header {
    seq: u32,
    len: u32,
    crc: u32,
}

/// Two slots of `slot_bytes` (a multiple of the erase size) at `base` in `flash`.
pub struct Slots {
    pub base: u32,
    pub slot_bytes: u32,
}

fn newer(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) > 0
}

fn round_up(n: usize) -> usize {
    n.div_ceil(WORD_BYTES) * WORD_BYTES
}

impl Slots {
    pub const fn new(base: u32, slot_bytes: u32) -> Self {
        Self { base, slot_bytes }
    }

    pub fn data_bytes_max(&self) -> usize {
        self.slot_bytes as usize - HEADER_BYTES
    }

    fn slot_offset(&self, slot: usize) -> u32 {
        self.base + slot as u32 * self.slot_bytes
    }

    /// The header of a slot whose data matches its CRC, else None.
    fn check<F: NorFlash>(&self, flash: &mut F, slot: usize) -> Result<Option<Header>, SlotError> {
        let at = self.slot_offset(slot);
        let mut raw = [0u8; HEADER_BYTES];
        flash.read(at, &mut raw).map_err(|_| SlotError::Flash)?;
        let word = |i: usize| u32::from_le_bytes([raw[i], raw[i + 1], raw[i + 2], raw[i + 3]]);
        let h = Header { seq: word(4), len: word(8), crc: word(12) };
        if word(0) != SLOT_MAGIC || h.len as usize > self.data_bytes_max() {
            return Ok(None);
        }
        let mut crc = crc32_update(crc32_begin(), &raw[4..12]);
        let mut chunk = [0u8; CHUNK_BYTES];
        let mut done = 0usize;
        while done < h.len as usize {
            let n = CHUNK_BYTES.min(round_up(h.len as usize - done));
            flash.read(at + (HEADER_BYTES + done) as u32, &mut chunk[..n]).map_err(|_| SlotError::Flash)?;
            let take = n.min(h.len as usize - done);
            crc = crc32_update(crc, &chunk[..take]);
            done += take;
        }
        Ok(if crc32_end(crc) == h.crc { Some(h) } else { None })
    }

    /// The newest valid slot and its header.
    fn newest<F: NorFlash>(&self, flash: &mut F) -> Result<Option<(usize, Header)>, SlotError> {
        let a = self.check(flash, 0)?;
        let b = self.check(flash, 1)?;
        Ok(match (a, b) {
            (Some(a), Some(b)) => Some(if newer(b.seq, a.seq) { (1, b) } else { (0, a) }),
            (Some(a), None) => Some((0, a)),
            (None, Some(b)) => Some((1, b)),
            (None, None) => None,
        })
    }

    /// Copies the newest record into `out`: its length, or 0 when none is stored.
    pub fn load<F: NorFlash>(&self, flash: &mut F, out: &mut [u8]) -> Result<usize, SlotError> {
        let Some((slot, h)) = self.newest(flash)? else { return Ok(0) };
        let len = h.len as usize;
        if len > out.len() {
            return Err(SlotError::BufferTooSmall);
        }
        let at = self.slot_offset(slot) + HEADER_BYTES as u32;
        let whole = len / WORD_BYTES * WORD_BYTES;
        flash.read(at, &mut out[..whole]).map_err(|_| SlotError::Flash)?;
        if whole < len {
            let mut tail = [0u8; WORD_BYTES];
            flash.read(at + whole as u32, &mut tail).map_err(|_| SlotError::Flash)?;
            out[whole..len].copy_from_slice(&tail[..len - whole]);
        }
        // The slot was checked a moment ago; check the copy too (a read error in between).
        let mut crc = crc32_begin();
        let header_words = [h.seq.to_le_bytes(), h.len.to_le_bytes()];
        crc = crc32_update(crc, &header_words[0]);
        crc = crc32_update(crc, &header_words[1]);
        crc = crc32_update(crc, &out[..len]);
        if crc32_end(crc) != h.crc {
            return Err(SlotError::Flash);
        }
        Ok(len)
    }

    /// Stores `data` whole or not at all (see the module's comment).
    pub fn store<F: NorFlash>(&self, flash: &mut F, data: &[u8]) -> Result<(), SlotError> {
        assert!(WORD_BYTES.is_multiple_of(F::WRITE_SIZE) && WORD_BYTES.is_multiple_of(F::READ_SIZE));
        assert!((self.slot_bytes as usize).is_multiple_of(F::ERASE_SIZE));
        if data.len() > self.data_bytes_max() {
            return Err(SlotError::TooLong);
        }
        let (slot, seq) = match self.newest(flash)? {
            Some((current, h)) => (1 - current, h.seq.wrapping_add(1)),
            None => (0, 1),
        };
        let at = self.slot_offset(slot);
        flash.erase(at, at + self.slot_bytes).map_err(|_| SlotError::Flash)?;
        // The data first, the header last: a slot without its header is simply empty.
        let whole = data.len() / WORD_BYTES * WORD_BYTES;
        let data_at = at + HEADER_BYTES as u32;
        for (i, chunk) in data[..whole].chunks(CHUNK_BYTES).enumerate() {
            flash.write(data_at + (i * CHUNK_BYTES) as u32, chunk).map_err(|_| SlotError::Flash)?;
        }
        if whole < data.len() {
            let mut tail = [0xffu8; WORD_BYTES];
            tail[..data.len() - whole].copy_from_slice(&data[whole..]);
            flash.write(data_at + whole as u32, &tail).map_err(|_| SlotError::Flash)?;
        }
        let len = data.len() as u32;
        let mut crc = crc32_update(crc32_begin(), &seq.to_le_bytes());
        crc = crc32_update(crc, &len.to_le_bytes());
        crc = crc32_end(crc32_update(crc, data));
        let mut header = [0u8; HEADER_BYTES];
        header[0..4].copy_from_slice(&SLOT_MAGIC.to_le_bytes());
        header[4..8].copy_from_slice(&seq.to_le_bytes());
        header[8..12].copy_from_slice(&len.to_le_bytes());
        header[12..16].copy_from_slice(&crc.to_le_bytes());
        flash.write(at, &header).map_err(|_| SlotError::Flash)?;
        Ok(())
    }

    /// Forgets the record: both slots erased.
    pub fn erase<F: NorFlash>(&self, flash: &mut F) -> Result<(), SlotError> {
        flash.erase(self.base, self.base + 2 * self.slot_bytes).map_err(|_| SlotError::Flash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use embedded_storage::nor_flash::{ErrorType, NorFlashError, NorFlashErrorKind, ReadNorFlash};

    const SECTOR: u32 = 4096;

    /// NOR flash in RAM: erase sets bytes to 0xff, a write can only clear bits, and a
    /// power cut after `budget` more bytes (erased or written) stops every later write.
    struct RamFlash {
        mem: Vec<u8>,
        budget: Option<usize>,
    }

    #[derive(Debug)]
    struct PowerCut;
    impl NorFlashError for PowerCut {
        fn kind(&self) -> NorFlashErrorKind {
            NorFlashErrorKind::Other
        }
    }
    impl ErrorType for RamFlash {
        type Error = PowerCut;
    }
    impl RamFlash {
        fn new() -> Self {
            Self { mem: vec![0xff; 4 * SECTOR as usize], budget: None }
        }
        /// Takes one byte of the budget: false once the power is gone.
        fn spend(&mut self) -> bool {
            match &mut self.budget {
                None => true,
                Some(0) => false,
                Some(n) => {
                    *n -= 1;
                    true
                }
            }
        }
    }
    impl ReadNorFlash for RamFlash {
        const READ_SIZE: usize = 4;
        fn read(&mut self, offset: u32, bytes: &mut [u8]) -> Result<(), PowerCut> {
            assert_eq!(offset % 4, 0);
            assert_eq!(bytes.len() % 4, 0);
            bytes.copy_from_slice(&self.mem[offset as usize..offset as usize + bytes.len()]);
            Ok(())
        }
        fn capacity(&self) -> usize {
            self.mem.len()
        }
    }
    impl NorFlash for RamFlash {
        const WRITE_SIZE: usize = 4;
        const ERASE_SIZE: usize = SECTOR as usize;
        fn erase(&mut self, from: u32, to: u32) -> Result<(), PowerCut> {
            assert!(from % SECTOR == 0 && to % SECTOR == 0);
            // A sector erase cut short leaves some of its bytes as they were.
            for i in from as usize..to as usize {
                if !self.spend() {
                    return Err(PowerCut);
                }
                self.mem[i] = 0xff;
            }
            Ok(())
        }
        fn write(&mut self, offset: u32, bytes: &[u8]) -> Result<(), PowerCut> {
            assert_eq!(offset % 4, 0);
            assert_eq!(bytes.len() % 4, 0);
            for (i, b) in bytes.iter().enumerate() {
                if !self.spend() {
                    return Err(PowerCut);
                }
                self.mem[offset as usize + i] &= *b;
            }
            Ok(())
        }
    }

    const SLOTS: Slots = Slots::new(SECTOR, SECTOR);

    fn load(flash: &mut RamFlash) -> Vec<u8> {
        let mut out = [0u8; 4096];
        let n = SLOTS.load(flash, &mut out).unwrap();
        out[..n].to_vec()
    }

    #[test]
    fn nothing_stored_loads_as_empty() {
        assert_eq!(load(&mut RamFlash::new()), b"");
    }

    #[test]
    fn the_last_record_stored_is_the_one_loaded() {
        let mut f = RamFlash::new();
        for (i, record) in [&b"first"[..], b"second, longer", b"3", &[7u8; 1500], b""].iter().enumerate() {
            SLOTS.store(&mut f, record).unwrap();
            assert_eq!(load(&mut f), *record, "store {i}");
        }
        assert_eq!(f.mem[..SECTOR as usize], vec![0xff; SECTOR as usize], "the sector below is not touched");
        assert_eq!(f.mem[3 * SECTOR as usize..], vec![0xff; SECTOR as usize], "nor the one above");
    }

    #[test]
    fn a_power_cut_at_any_byte_of_a_store_leaves_the_old_or_the_new_record() {
        let old = b"hbeat config: interval=5 newconf=kitchen".to_vec();
        let new = b"hbeat config: interval=9 newconf=hall, a longer record".to_vec();
        // A store costs one sector erase plus the data and header written.
        let cost = SECTOR as usize + round_up(new.len()) + HEADER_BYTES;
        let mut saw_old = 0;
        let mut saw_new = 0;
        for cut in 0..=cost {
            let mut f = RamFlash::new();
            SLOTS.store(&mut f, b"older still").unwrap();
            SLOTS.store(&mut f, &old).unwrap();
            f.budget = Some(cut);
            let stored = SLOTS.store(&mut f, &new);
            f.budget = None;
            let got = load(&mut f);
            assert!(got == old || got == new, "cut after {cut} bytes: {got:?}");
            assert_eq!(stored.is_ok(), cut == cost, "only a whole store reports success");
            if got == old { saw_old += 1 } else { saw_new += 1 }
            // And the next store after the power came back works.
            SLOTS.store(&mut f, b"after").unwrap();
            assert_eq!(load(&mut f), b"after");
        }
        assert_eq!((saw_old, saw_new), (cost, 1), "the new record exists from its last header byte on");
    }

    #[test]
    fn sequence_numbers_compare_across_the_wrap() {
        assert!(newer(0, u32::MAX));
        assert!(newer(5, 4));
        assert!(!newer(4, 5));
    }

    #[test]
    fn a_record_too_long_for_a_slot_is_refused_and_the_old_one_stays() {
        let mut f = RamFlash::new();
        SLOTS.store(&mut f, b"kept").unwrap();
        assert_eq!(SLOTS.store(&mut f, &[0u8; 4096]), Err(SlotError::TooLong));
        assert_eq!(load(&mut f), b"kept");
        let mut small = [0u8; 2];
        assert_eq!(SLOTS.load(&mut f, &mut small), Err(SlotError::BufferTooSmall));
    }

    #[test]
    fn a_flipped_bit_in_the_newest_record_falls_back_to_the_previous_one() {
        let mut f = RamFlash::new();
        SLOTS.store(&mut f, b"one").unwrap();
        SLOTS.store(&mut f, b"two").unwrap();
        let two_at = (2 * SECTOR) as usize + HEADER_BYTES; // slot 1 holds the second store
        f.mem[two_at] ^= 1;
        assert_eq!(load(&mut f), b"one");
    }

    #[test]
    fn erase_forgets_the_record() {
        let mut f = RamFlash::new();
        SLOTS.store(&mut f, b"one").unwrap();
        SLOTS.erase(&mut f).unwrap();
        assert_eq!(load(&mut f), b"");
    }
}
