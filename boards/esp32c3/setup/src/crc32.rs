//! CRC-32 (IEEE 802.3, the zlib one), bitwise: records are small and written rarely.

/// Continues a CRC over `data` (start with [`crc32_begin`], end with [`crc32_end`]).
pub fn crc32_update(mut crc: u32, data: &[u8]) -> u32 {
    for &byte in data {
        crc ^= byte as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
        }
    }
    crc
}

pub const fn crc32_begin() -> u32 {
    0xffff_ffff
}

pub const fn crc32_end(crc: u32) -> u32 {
    !crc
}

pub fn crc32(data: &[u8]) -> u32 {
    crc32_end(crc32_update(crc32_begin(), data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_zlib_check_value() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(crc32(b""), 0);
    }
}
