//! The one place where term values meet Typst source. Every `{{value}}` in a template goes
//! through [`markup`] (registered as handlebars' escape function); `{{str value}}` goes through
//! [`string_literal`]. Both are verified to reproduce any printable text exactly and to never
//! let it run as Typst markup or code (see `../shared/design/typst-embedding.md` §4).

/// Escape text for Typst markup: every ASCII punctuation character is prefixed with `\` (a
/// literal escape in Typst), and every line-breaking character becomes a space, so the text
/// stays one run of plain words inside whatever paragraph the template put it in.
pub fn markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
            out.push(c);
        } else if is_line_break(c) {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// A complete Typst code-mode string literal holding `text` exactly, quotes included.
pub fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || is_line_break(c) => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_escapes_every_trigger() {
        assert_eq!(
            markup("#read(\"/etc/passwd\")"),
            r#"\#read\(\"\/etc\/passwd\"\)"#
        );
        assert_eq!(markup("= heading"), r"\= heading");
        assert_eq!(markup("a\nb"), "a b");
        assert_eq!(markup("Malmö 臺北"), "Malmö 臺北");
    }

    #[test]
    fn string_literal_quotes_and_escapes() {
        assert_eq!(string_literal(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(string_literal("x\ny"), r#""x\ny""#);
    }
}
