//! `application/x-www-form-urlencoded`, as the WHATWG URL standard defines it.
//!
//! Used for token request bodies and for query strings. PagerDuty tokens contain `+`, which
//! form decoding reads as a space: every `+` in a value must go out as `%2B`.

/// Encodes one name or value: bytes in `[A-Za-z0-9*-._]` stay, a space becomes `+`, every
/// other byte of the UTF-8 encoding becomes `%XX`.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                out.push('%');
                out.push(HEX[usize::from(byte >> 4)] as char);
                out.push(HEX[usize::from(byte & 0xF)] as char);
            }
        }
    }
    out
}

/// Encodes name/value pairs joined by `&`.
pub fn encode_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (name, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&encode(name));
        out.push('=');
        out.push_str(&encode(value));
    }
    out
}

/// Decodes a query string or form body (with or without a leading `?`) into pairs, in order.
/// Malformed escapes are kept literally and invalid UTF-8 is replaced, as browsers do: this
/// reads attacker-controllable URLs and must never fail.
pub fn decode_pairs(input: &str) -> Vec<(String, String)> {
    input
        .strip_prefix('?')
        .unwrap_or(input)
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            (decode(name), decode(value))
        })
        .collect()
}

/// The first value of `name` in a query string, decoded.
pub fn query_value(input: &str, name: &str) -> Option<String> {
    decode_pairs(input)
        .into_iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
}

fn decode(input: &str) -> String {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match (hex_value(bytes[i + 1]), hex_value(bytes[i + 2])) {
                    (Some(high), Some(low)) => {
                        out.push(high << 4 | low);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pagerduty_token_keeps_its_plus_sign() {
        let token = "pdus+_0XBPWQQ_3f1c";
        let body = encode_pairs([("token", token)]);
        assert_eq!(body, "token=pdus%2B_0XBPWQQ_3f1c");
        assert_eq!(query_value(&body, "token").as_deref(), Some(token));
    }

    #[test]
    fn spaces_become_plus_and_reserved_characters_are_escaped() {
        assert_eq!(encode("a b&c=d/é"), "a+b%26c%3Dd%2F%C3%A9");
        assert_eq!(encode("AZaz09*-._"), "AZaz09*-._");
    }

    #[test]
    fn decoding_reads_plus_as_space_and_keeps_order() {
        let pairs = decode_pairs("?error=access_denied&error_description=The+resource+owner%21");
        assert_eq!(
            pairs,
            vec![
                ("error".to_string(), "access_denied".to_string()),
                (
                    "error_description".to_string(),
                    "The resource owner!".to_string()
                ),
            ]
        );
    }

    #[test]
    fn malformed_escapes_and_bad_utf8_do_not_fail() {
        assert_eq!(query_value("a=%zz%4", "a").as_deref(), Some("%zz%4"));
        assert_eq!(query_value("a=%", "a").as_deref(), Some("%"));
        assert_eq!(query_value("a=%FF", "a").as_deref(), Some("\u{FFFD}"));
        assert_eq!(query_value("novalue&&b", "novalue").as_deref(), Some(""));
        assert_eq!(query_value("", "a"), None);
    }

    #[test]
    fn every_byte_round_trips() {
        let all: String = (1u32..0x250).filter_map(char::from_u32).collect();
        let encoded = encode_pairs([("v", all.as_str())]);
        assert_eq!(query_value(&encoded, "v").as_deref(), Some(all.as_str()));
    }
}
