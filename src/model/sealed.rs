//! Term values sealed for their way through a template's Markdown.
//!
//! A template writes Markdown, and a term value inside it must stay text whatever it holds
//! (`**`, `# `, `[x](#y)`, a line that starts with `1.`). So every `{{value}}` is written as a
//! sealed token: a start mark, the value's UTF-8 bytes as private-use characters, an end mark.
//! Markdown sees one opaque word; [`unseal`] turns it back into the value after parsing, as a
//! piece of [`Inline`] text. Nothing is escaped and nothing in a value is ever parsed.

use super::{Inline, Origin, Origins};

/// What a sealed value becomes in the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// A date ([`Inline::Date`]): never broken, no CJK–Latin spacing.
    Date,
    /// A name ([`Inline::Name`]): never broken.
    Name,
}

const TEXT: char = '\u{E000}';
const DATE: char = '\u{E002}';
const NAME: char = '\u{E003}';
const END: char = '\u{E001}';
/// Byte `b` of a value is written as `BYTE + b`.
const BYTE: u32 = 0xE100;

fn start(kind: Kind) -> char {
    match kind {
        Kind::Text => TEXT,
        Kind::Date => DATE,
        Kind::Name => NAME,
    }
}

/// `value` as one sealed token. A value that already is one whole token (a helper's output) is
/// returned as it is, so it keeps its kind.
pub fn seal(value: &str, kind: Kind) -> String {
    if is_token(value) {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len() * 3 + 6);
    out.push(start(kind));
    for b in value.bytes() {
        // BYTE + b stays inside the private use area (U+E100..U+E1FF).
        out.push(char::from_u32(BYTE + u32::from(b)).unwrap_or(END));
    }
    out.push(END);
    out
}

fn is_token(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(TEXT | DATE | NAME))
        && s.ends_with(END)
        && s.chars().count() >= 2
        && s.chars()
            .skip(1)
            .take(s.chars().count() - 2)
            .all(|c| (BYTE..BYTE + 256).contains(&(c as u32)))
}

/// Text from a parsed template with its sealed tokens opened: plain runs and values, each as
/// an inline (text runs merged, each value's place in them kept as an [`Origin`] with no
/// path yet). Whitespace runs in a value become one space, as in the template's own text.
pub fn unseal(text: &str) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    let mut plain = String::new();
    let mut origins = Origins::default();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        let kind = match c {
            TEXT => Kind::Text,
            DATE => Kind::Date,
            NAME => Kind::Name,
            c => {
                plain.push(c);
                continue;
            }
        };
        let mut bytes = Vec::new();
        for c in chars.by_ref() {
            if c == END {
                break;
            }
            if let Some(b) = (c as u32).checked_sub(BYTE).filter(|b| *b < 256) {
                bytes.push(b as u8);
            }
        }
        let value = String::from_utf8_lossy(&bytes);
        let value = crate::terms::squash(&value);
        match kind {
            Kind::Text => {
                if !value.is_empty() {
                    origins.0.push(Origin {
                        start: plain.len(),
                        end: plain.len() + value.len(),
                        path: String::new(),
                        lang: String::new(),
                    });
                }
                plain.push_str(&value)
            }
            Kind::Date | Kind::Name => {
                flush(&mut out, &mut plain, &mut origins);
                out.push(match kind {
                    Kind::Date => Inline::Date {
                        text: value,
                        origins: Origins::default(),
                    },
                    _ => Inline::Name { text: value },
                });
            }
        }
    }
    flush(&mut out, &mut plain, &mut origins);
    out
}

fn flush(out: &mut Vec<Inline>, plain: &mut String, origins: &mut Origins) {
    if plain.is_empty() {
        return;
    }
    let text = std::mem::take(plain);
    let origins = std::mem::take(origins);
    push_text(out, text, origins);
}

/// `text` added to `out`: onto its last text inline, the origins moved along, or as a new one.
pub fn push_text(out: &mut Vec<Inline>, text: String, origins: Origins) {
    if let Some(Inline::Text {
        text: last,
        origins: before,
    }) = out.last_mut()
    {
        before.0.extend(origins.shifted(last.len()));
        last.push_str(&text);
    } else {
        out.push(Inline::Text { text, origins });
    }
}

/// Whether `s` holds a sealed value anywhere (a template's own text never does).
pub fn holds_value(s: &str) -> bool {
    s.contains([TEXT, DATE, NAME])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_comes_back_as_it_was_whatever_it_holds() {
        for v in [
            "**x** [a](#b)",
            "# heading",
            "1. item",
            "#read(\"/etc/passwd\")",
            "臺南 ✓",
        ] {
            let sealed = format!("before {} after", seal(v, Kind::Text));
            assert!(!sealed.contains(['*', '#', '[', '1']));
            assert_eq!(
                unseal(&sealed),
                vec![Inline::text(format!("before {v} after"))]
            );
        }
    }

    #[test]
    fn dates_and_names_keep_their_kind_and_are_not_sealed_twice() {
        let date = seal("2027年10月15日", Kind::Date);
        assert_eq!(seal(&date, Kind::Text), date);
        assert_eq!(
            unseal(&format!("於{date}簽署")),
            vec![
                Inline::text("於"),
                Inline::Date {
                    text: "2027年10月15日".into(),
                    origins: Origins::default(),
                },
                Inline::text("簽署"),
            ]
        );
    }

    #[test]
    fn a_forged_mark_in_a_value_is_sealed_like_any_text() {
        let forged = format!("{DATE}x{END}");
        let sealed = seal(&forged, Kind::Text);
        assert_ne!(sealed, forged);
        let back = unseal(&sealed);
        assert_eq!(back, vec![Inline::text(forged)]);
    }

    #[test]
    fn a_value_keeps_its_place_through_markdown_and_whitespace() {
        let md = format!(
            "Signed  in\n{}  by {} .",
            seal("Lund \n town", Kind::Text),
            seal("**x**", Kind::Text)
        );
        let written = super::super::markdown::read(&md);
        let Some(crate::model::Block::Paragraph { content }) = written.blocks.first() else {
            panic!("{written:?}");
        };
        let [Inline::Text { text, origins }] = content.as_slice() else {
            panic!("{content:?}");
        };
        assert_eq!(text, "Signed in Lund town by **x** .");
        let values: Vec<&str> = origins.0.iter().map(|o| &text[o.start..o.end]).collect();
        assert_eq!(values, ["Lund town", "**x**"]);
    }
}
