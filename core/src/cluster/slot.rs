//! Key → hash slot, exactly as `keyHashSlot` and `crc16` in Redis's cluster.c
//! and crc16.c: CRC16-XMODEM (poly 0x1021, init 0, no reflection, no final
//! xor) of the key, or of its hash tag, masked to 14 bits.

/// Number of hash slots (`CLUSTER_SLOTS`).
pub const SLOTS: u16 = 16384;

/// CRC16-XMODEM, bit by bit (small code; keys are short).
pub fn crc16(bytes: &[u8]) -> u16 {
    let mut crc: u16 = 0;
    for &b in bytes {
        crc ^= u16::from(b) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc
}

/// The part of the key that is hashed: between the first `{` and the first
/// `}` after it, if that is non-empty; else the whole key.
pub fn hash_tag(key: &[u8]) -> &[u8] {
    let Some(s) = key.iter().position(|&b| b == b'{') else {
        return key;
    };
    match key[s + 1..].iter().position(|&b| b == b'}') {
        Some(len) if len > 0 => &key[s + 1..s + 1 + len],
        _ => key,
    }
}

/// `keyHashSlot`.
pub fn key_slot(key: &[u8]) -> u16 {
    crc16(hash_tag(key)) & (SLOTS - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc16_xmodem_check_value() {
        assert_eq!(crc16(b"123456789"), 0x31C3);
        assert_eq!(crc16(b""), 0);
    }

    #[test]
    fn facts_sheet_vectors() {
        for (key, slot) in [
            ("foo", 12182),
            ("bar", 5061),
            ("{user1000}.following", 3443),
            ("{user1000}.followers", 3443),
            ("user1000", 3443),
            ("hello", 866),
            ("foo{}{bar}", 8363),
            ("foo{{bar}}zap", 4015),
            ("foo{bar}{zap}", 5061),
            ("{foo}bar", 12182),
            ("", 0),
        ] {
            assert_eq!(key_slot(key.as_bytes()), slot, "{key}");
        }
    }

    #[test]
    fn hash_tag_edge_cases() {
        assert_eq!(hash_tag(b"{}"), b"{}");
        assert_eq!(hash_tag(b"foo{}{bar}"), b"foo{}{bar}");
        assert_eq!(hash_tag(b"foo{{bar}}zap"), b"{bar");
        assert_eq!(hash_tag(b"foo{bar}{zap}"), b"bar");
        assert_eq!(hash_tag(b"{user1000}.following"), b"user1000");
        assert_eq!(hash_tag(b"no}open{"), b"no}open{");
        assert_eq!(hash_tag(b"{unclosed"), b"{unclosed");
        assert_eq!(key_slot(b"{}"), crc16(b"{}") & 16383);
    }
}
