//! Numbers and addresses written for people.

/// A count with thousands separators: `1,250`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A `mailto:` link for `email` (RFC 6068), with everything but letters, digits, `@` and
/// `-._~+` percent-encoded, so an address from the API can never carry `?cc=`, `&body=` or a
/// second recipient along. `None` for something that is not an address.
pub fn mailto(email: &str) -> Option<String> {
    let email = email.trim();
    if !email.contains('@') || email.starts_with('@') || email.ends_with('@') {
        return None;
    }
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut href = String::from("mailto:");
    for byte in email.bytes() {
        if byte.is_ascii_alphanumeric() || b"@-._~+".contains(&byte) {
            href.push(byte as char);
        } else {
            href.push('%');
            href.push(HEX[usize::from(byte >> 4)] as char);
            href.push(HEX[usize::from(byte & 15)] as char);
        }
    }
    Some(href)
}

/// A length of time for people, to the minute: `45 min`, `14 h`, `14 h 30 min`, `2 d 3 h`.
pub fn duration(ms: i64) -> String {
    let minutes = (ms.max(0) + 30_000) / 60_000;
    let (days, hours, minutes) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    let parts: Vec<String> = [(days, "d"), (hours, "h"), (minutes, "min")]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n} {unit}"))
        .collect();
    match parts.len() {
        0 => "0 min".into(),
        // Days and minutes together say more than anyone needs: days and hours.
        3 => parts[..2].join(" "),
        _ => parts.join(" "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(duration(0), "0 min");
        assert_eq!(duration(45 * 60_000), "45 min");
        assert_eq!(duration(14 * 3_600_000), "14 h");
        assert_eq!(duration(14 * 3_600_000 + 30 * 60_000), "14 h 30 min");
        assert_eq!(duration(51 * 3_600_000 + 5 * 60_000), "2 d 3 h");
        assert_eq!(duration(7 * 86_400_000), "7 d");
    }

    #[test]
    fn mailto_links_carry_the_address_and_nothing_else() {
        assert_eq!(
            mailto("zoe.angstrom+oncall@example.com").as_deref(),
            Some("mailto:zoe.angstrom+oncall@example.com")
        );
        assert_eq!(
            mailto("a@example.com?cc=boss@example.com&body=hi").as_deref(),
            Some("mailto:a@example.com%3Fcc%3Dboss@example.com%26body%3Dhi")
        );
        assert_eq!(
            mailto("ø@example.com").as_deref(),
            Some("mailto:%C3%B8@example.com")
        );
        assert_eq!(
            mailto("a@b.com,c@d.com").as_deref(),
            Some("mailto:a@b.com%2Cc@d.com")
        );
        for not_an_address in ["", "nobody", "@example.com", "a@"] {
            assert_eq!(mailto(not_an_address), None, "{not_an_address:?}");
        }
    }

    #[test]
    fn counts_get_thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_250), "1,250");
        assert_eq!(thousands(10_000_000), "10,000,000");
    }
}
