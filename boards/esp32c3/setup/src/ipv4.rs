//! An IPv4 address as text for the C side (xh_device_config.remote_ip), without fmt.

/// The longest text, `255.255.255.255`, and its NUL.
pub const IPV4_TEXT_BYTES: usize = 16;

/// Writes `a.b.c.d` and a NUL into `out`; `ipv4` reads big-endian (xh_platform.h).
/// Returns the text's length (without the NUL).
pub fn format_ipv4(ipv4: u32, out: &mut [u8; IPV4_TEXT_BYTES]) -> usize {
    let mut at = 0;
    for (i, octet) in ipv4.to_be_bytes().iter().enumerate() {
        if i > 0 {
            out[at] = b'.';
            at += 1;
        }
        let digits = [octet / 100, octet / 10 % 10, octet % 10];
        let skip = if *octet >= 100 { 0 } else if *octet >= 10 { 1 } else { 2 };
        for d in &digits[skip..] {
            out[at] = b'0' + d;
            at += 1;
        }
    }
    out[at] = 0;
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(ipv4: u32) -> String {
        let mut out = [0xaa; IPV4_TEXT_BYTES];
        let n = format_ipv4(ipv4, &mut out);
        assert_eq!(out[n], 0, "NUL-terminated");
        String::from_utf8(out[..n].to_vec()).unwrap()
    }

    #[test]
    fn addresses_read_as_dotted_quads() {
        assert_eq!(text(0xc0a8_0114), "192.168.1.20");
        assert_eq!(text(0x0a00_0001), "10.0.0.1");
        assert_eq!(text(0), "0.0.0.0");
        assert_eq!(text(u32::MAX), "255.255.255.255");
        assert_eq!(text(0x6409_6301), "100.9.99.1");
    }
}
