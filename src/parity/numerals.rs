//! Reading a number where it is written: Arabic digits with a language's group and decimal
//! marks ("5 000", "1,5"), Chinese numerals (三十, 二〇二七, 一百〇五, 兩) and Roman ones in
//! article labels (III). Each reader takes the text at a position and answers the number and
//! how many bytes it spans.

/// A number as read: its value in a comparable form ("30", "1.5") and its integer value when
/// it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    pub value: String,
    pub int: Option<u64>,
    pub len: usize,
}

/// Digits at the start of `s`, with `group` between groups of three and `decimal` before the
/// decimals (a group mark must be followed by exactly three digits).
pub fn digits(s: &str, group: &str, decimal: &str) -> Option<Read> {
    let run = |t: &str| t.bytes().take_while(u8::is_ascii_digit).count();
    let first = run(s);
    if first == 0 {
        return None;
    }
    let mut whole = s[..first].to_string();
    let mut at = first;
    // Group marks: plain space and no-break space alike for a language that groups by space.
    let groups: Vec<&str> = match group {
        "" => vec![],
        "\u{a0}" | " " | "\u{202f}" => vec!["\u{a0}", "\u{202f}"],
        g => vec![g],
    };
    'groups: loop {
        for g in &groups {
            if let Some(rest) = s[at..].strip_prefix(g) {
                let n = run(rest);
                let next = rest[n..].chars().next();
                if n == 3 && !next.is_some_and(|c| c.is_ascii_digit()) {
                    whole.push_str(&rest[..3]);
                    at += g.len() + 3;
                    continue 'groups;
                }
            }
        }
        break;
    }
    let mut value = whole.trim_start_matches('0').to_string();
    if value.is_empty() {
        value.push('0');
    }
    let int = value.parse::<u64>().ok();
    if !decimal.is_empty()
        && let Some(rest) = s[at..].strip_prefix(decimal)
    {
        let n = run(rest);
        if n > 0 {
            let fraction = rest[..n].trim_end_matches('0');
            at += decimal.len() + n;
            if !fraction.is_empty() {
                return Some(Read {
                    value: format!("{value}.{fraction}"),
                    int: None,
                    len: at,
                });
            }
        }
    }
    Some(Read {
        value,
        int,
        len: at,
    })
}

/// The value of a Chinese digit.
fn chinese_digit(c: char) -> Option<u64> {
    Some(match c {
        '〇' | '零' => 0,
        '一' => 1,
        '二' | '兩' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn chinese_unit(c: char) -> Option<u64> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1000,
        '萬' => 10_000,
        _ => return None,
    })
}

/// Whether `c` is a Chinese numeral.
pub fn is_chinese_numeral(c: char) -> bool {
    chinese_digit(c).is_some() || chinese_unit(c).is_some()
}

/// Chinese numerals at the start of `s`: with units (三十, 一百〇五, 兩萬) or digit by digit
/// (二〇二七, 一一六).
pub fn chinese(s: &str) -> Option<Read> {
    let chars: Vec<(usize, char)> = s
        .char_indices()
        .take_while(|(_, c)| is_chinese_numeral(*c))
        .take(16)
        .collect();
    let (last, c) = *chars.last()?;
    let len = last + c.len_utf8();
    let has_unit = chars.iter().any(|(_, c)| chinese_unit(*c).is_some());
    let value = if has_unit {
        let (mut total, mut section, mut digit) = (0u64, 0u64, None::<u64>);
        for (_, c) in &chars {
            if let Some(d) = chinese_digit(*c) {
                digit = Some(d);
            } else if let Some(u) = chinese_unit(*c) {
                if u == 10_000 {
                    total = total.saturating_add(
                        section.saturating_add(digit.unwrap_or(0)).saturating_mul(u),
                    );
                    section = 0;
                } else {
                    section = section.saturating_add(digit.unwrap_or(1) * u);
                }
                digit = None;
            }
        }
        total
            .saturating_add(section)
            .saturating_add(digit.unwrap_or(0))
    } else {
        chars.iter().try_fold(0u64, |n, (_, c)| {
            n.checked_mul(10)?.checked_add(chinese_digit(*c)?)
        })?
    };
    Some(Read {
        value: value.to_string(),
        int: Some(value),
        len,
    })
}

/// Roman numerals at the start of `s` (I to MMMM), as article labels may be numbered.
pub fn roman(s: &str) -> Option<Read> {
    let len = s.bytes().take_while(|b| b"IVXLCDM".contains(b)).count();
    if len == 0 {
        return None;
    }
    let value_of = |b: u8| match b {
        b'I' => 1,
        b'V' => 5,
        b'X' => 10,
        b'L' => 50,
        b'C' => 100,
        b'D' => 500,
        _ => 1000,
    };
    let bytes = &s.as_bytes()[..len];
    let mut n = 0i64;
    for (i, b) in bytes.iter().enumerate() {
        let v = value_of(*b);
        if bytes.get(i + 1).is_some_and(|next| value_of(*next) > v) {
            n -= v;
        } else {
            n += v;
        }
    }
    let n = n.max(0) as u64;
    Some(Read {
        value: n.to_string(),
        int: Some(n),
        len,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_with_marks() {
        assert_eq!(digits("5,000 EUR", ",", ".").unwrap().value, "5000");
        assert_eq!(
            digits("5\u{a0}000 EUR", "\u{a0}", ",").unwrap().value,
            "5000"
        );
        assert_eq!(digits("1,5 %", "\u{a0}", ",").unwrap().value, "1.5");
        assert_eq!(digits("1, 2 and 3", ",", ".").unwrap().len, 1);
        assert_eq!(digits("2027.", ",", ".").unwrap().value, "2027");
        assert!(digits("x1", ",", ".").is_none());
    }

    #[test]
    fn chinese_numerals() {
        let v = |s: &str| chinese(s).unwrap().int.unwrap();
        assert_eq!(v("三十日"), 30);
        assert_eq!(v("二十一"), 21);
        assert_eq!(v("一百〇五"), 105);
        assert_eq!(v("二〇二七年"), 2027);
        assert_eq!(v("一一六年"), 116);
        assert_eq!(v("兩萬"), 20_000);
        assert_eq!(v("十二個月"), 12);
        assert_eq!(v("六個月"), 6);
    }

    #[test]
    fn no_number_is_too_large_to_read() {
        assert!(chinese("萬萬萬萬萬萬萬萬萬萬萬萬萬萬萬萬萬萬").is_some());
        assert_eq!(chinese(&"九".repeat(30)).unwrap().len, 16 * '九'.len_utf8());
        assert!(
            digits("184467440737095516159999", ",", ".")
                .unwrap()
                .int
                .is_none()
        );
        assert_eq!(roman(&"M".repeat(5000)).unwrap().int, Some(5_000_000));
    }

    #[test]
    fn roman_numerals() {
        assert_eq!(roman("XIV").unwrap().int, Some(14));
        assert_eq!(roman("IV ").unwrap().int, Some(4));
    }
}
