//! Word diff of running text that keeps its styling: two rounds' [`Content`] in, the new
//! round's content out with deleted words inside [`Inline::Del`] and inserted ones inside
//! [`Inline::Ins`], each word still bold, a reference or a date as it was printed.
//!
//! The words are compared by `crate::diff::words` (the rules that make a prose redline
//! readable) on the plain text; each character of its segments is then traced back to the
//! inline it came from. Several old parts against several new ones ([`diff_parts`]) is how the
//! redline shows merged and split list items: the old items' words against the new items'.

use std::time::Instant;

use super::words::{SegmentKind, diff_words};
use crate::model::{Content, Inline};

/// How a traced character was printed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Style {
    emph: bool,
    strong: bool,
    atom: Atom,
}

/// Inlines printed whole.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
enum Atom {
    #[default]
    None,
    Ref(String),
    Date,
    Name,
}

/// One side's characters, each with its style and the part it belongs to.
struct Stream {
    chars: Vec<(char, Style, usize)>,
    at: usize,
}

impl Stream {
    fn new(parts: &[&Content]) -> (Self, String) {
        let mut chars = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                chars.push(('\n', Style::default(), i));
                chars.push(('\n', Style::default(), i));
            }
            flatten(part, &Style::default(), i, &mut chars);
        }
        let text = chars.iter().map(|(c, ..)| *c).collect();
        (Stream { chars, at: 0 }, text)
    }

    /// The next non-space character's style and part, if it is `c`, and the style of the
    /// space the text had before it, if it had one.
    fn take(&mut self, c: char) -> Option<Traced> {
        let mut space = None;
        while self.at < self.chars.len() && self.chars[self.at].0.is_whitespace() {
            space.get_or_insert(self.chars[self.at].1.clone());
            self.at += 1;
        }
        let (got, style, part) = self.chars.get(self.at)?.clone();
        self.at += 1;
        (got == c).then_some(Traced { style, part, space })
    }
}

/// Where a character of the diff came from.
struct Traced {
    style: Style,
    part: usize,
    /// The text had a space before it (of this style).
    space: Option<Style>,
}

fn flatten(content: &[Inline], style: &Style, part: usize, out: &mut Vec<(char, Style, usize)>) {
    let push = |out: &mut Vec<(char, Style, usize)>, text: &str, style: Style| {
        out.extend(text.chars().map(|c| (c, style.clone(), part)));
    };
    for inline in content {
        match inline {
            Inline::Text { text, .. } => push(out, text, style.clone()),
            Inline::Break => push(out, " ", style.clone()),
            Inline::Ref { id, label } => push(
                out,
                label,
                Style {
                    atom: Atom::Ref(id.clone()),
                    ..style.clone()
                },
            ),
            Inline::Date { text, .. } => push(
                out,
                text,
                Style {
                    atom: Atom::Date,
                    ..style.clone()
                },
            ),
            Inline::Name { text } => push(
                out,
                text,
                Style {
                    atom: Atom::Name,
                    ..style.clone()
                },
            ),
            Inline::Emph { content } => {
                let inner = Style {
                    emph: true,
                    ..style.clone()
                };
                flatten(content, &inner, part, out);
            }
            Inline::Strong { content } => {
                let inner = Style {
                    strong: true,
                    ..style.clone()
                };
                flatten(content, &inner, part, out);
            }
            Inline::Ins { content } | Inline::Del { content } => flatten(content, style, part, out),
        }
    }
}

/// The result of a diff: one content per new part.
pub struct PartsDiff {
    pub parts: Vec<Content>,
    /// Separate changes (a replacement counts once).
    pub changes: usize,
    /// The word diff's deadline fired.
    pub approximate: bool,
}

/// `old` against `new`: the new content with the changes marked.
pub fn diff(old: &Content, new: &Content, deadline: Instant) -> PartsDiff {
    diff_parts(&[old], &[new], deadline)
}

/// The old parts' words against the new parts': one marked content per new part (one, all
/// deleted, when `new` is empty). Deleted words go with the new part being read where they
/// stood.
pub fn diff_parts(old: &[&Content], new: &[&Content], deadline: Instant) -> PartsDiff {
    let (mut o, old_text) = Stream::new(old);
    let (mut n, new_text) = Stream::new(new);
    let words = diff_words(&old_text, &new_text, deadline);
    let mut runs: Vec<Vec<(SegmentKind, Style, String)>> = vec![Vec::new(); new.len().max(1)];
    let mut part = 0;
    for seg in &words.segments {
        // Spaces come from the texts themselves (the new one's, or the old one's around a
        // deletion): the diff leaves whitespace out of the comparison.
        for c in seg.text.chars().filter(|c| !c.is_whitespace()) {
            // What the old and the new text had here (a deletion is read from the old only, an
            // insertion from the new only).
            let (old, new) = match seg.kind {
                SegmentKind::Equal => (o.take(c), n.take(c)),
                SegmentKind::Delete => (o.take(c), None),
                SegmentKind::Insert => (None, n.take(c)),
            };
            let old_space = old.as_ref().and_then(|t| t.space.clone());
            let (style, at, new_space) = match (new, old) {
                (Some(t), _) => (t.style, t.part, t.space),
                (None, Some(t)) => (t.style, part, None),
                (None, None) => (Style::default(), part, None),
            };
            if seg.kind != SegmentKind::Delete {
                part = at.min(runs.len() - 1);
            }
            let run = &mut runs[part];
            let last = run.last().map(|(k, _, t)| (*k, t.ends_with(' ')));
            if let Some((kind, false)) = last {
                // After a deletion, the old text says whether a space follows. A replacement's
                // insertion follows its deletion directly (renderers set them a little apart),
                // unless the new text has a space there that the old did not ("officials;" →
                // "officials and"): then the space is inserted too, so that accepting every
                // change gives the new text and rejecting every change the old.
                let space = match (seg.kind, kind) {
                    (SegmentKind::Insert, SegmentKind::Delete) => {
                        let before = run.iter().rev().find(|(k, _, _)| *k != SegmentKind::Delete);
                        let spaced = before.is_none_or(|(_, _, t)| t.ends_with(' '));
                        new_space.filter(|_| !spaced)
                    }
                    (SegmentKind::Equal, SegmentKind::Delete) | (SegmentKind::Delete, _) => {
                        old_space
                    }
                    _ => new_space,
                };
                if let Some(space_style) = space {
                    let kind = match (seg.kind, kind) {
                        (SegmentKind::Insert, SegmentKind::Delete) => SegmentKind::Insert,
                        _ if kind == seg.kind => kind,
                        _ => SegmentKind::Equal,
                    };
                    push(run, kind, space_style, ' ');
                }
            }
            push(run, seg.kind, style, c);
        }
    }
    PartsDiff {
        parts: runs.into_iter().map(build).collect(),
        changes: words.changes,
        approximate: words.approximate,
    }
}

fn push(run: &mut Vec<(SegmentKind, Style, String)>, kind: SegmentKind, style: Style, c: char) {
    match run.last_mut() {
        Some((k, s, text)) if *k == kind && *s == style => text.push(c),
        _ => run.push((kind, style, c.to_string())),
    }
}

/// Runs of one kind and style as inlines: changes wrapped in `Ins`/`Del`, no space at the ends.
fn build(mut runs: Vec<(SegmentKind, Style, String)>) -> Content {
    if let Some((_, _, t)) = runs.first_mut() {
        *t = t.trim_start().to_string();
    }
    if let Some((_, _, t)) = runs.last_mut() {
        *t = t.trim_end().to_string();
    }
    runs.retain(|(_, _, t)| !t.is_empty());
    let mut out: Content = Vec::new();
    let mut group: Vec<Inline> = Vec::new();
    let mut kind = SegmentKind::Equal;
    let close = |out: &mut Content, kind: SegmentKind, group: &mut Vec<Inline>| {
        let content = std::mem::take(group);
        if content.is_empty() {
            return;
        }
        match kind {
            SegmentKind::Equal => out.extend(content),
            SegmentKind::Delete => out.push(Inline::Del { content }),
            SegmentKind::Insert => out.push(Inline::Ins { content }),
        }
    };
    for (k, style, text) in runs {
        if k != kind {
            close(&mut out, kind, &mut group);
            kind = k;
        }
        group.push(styled(style, text));
    }
    close(&mut out, kind, &mut group);
    out
}

fn styled(style: Style, text: String) -> Inline {
    let mut inline = match style.atom {
        Atom::None => Inline::text(text),
        Atom::Ref(id) => Inline::Ref { id, label: text },
        Atom::Date => Inline::Date {
            text,
            origins: Default::default(),
        },
        Atom::Name => Inline::Name { text },
    };
    if style.emph {
        inline = Inline::Emph {
            content: vec![inline],
        };
    }
    if style.strong {
        inline = Inline::Strong {
            content: vec![inline],
        };
    }
    inline
}

/// `content` wholly inserted or deleted.
pub fn whole(content: &Content, kind: SegmentKind) -> Content {
    if content.is_empty() {
        return Vec::new();
    }
    let content = content.clone();
    match kind {
        SegmentKind::Insert => vec![Inline::Ins { content }],
        SegmentKind::Delete => vec![Inline::Del { content }],
        SegmentKind::Equal => content,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::plain;
    use std::time::Duration;

    fn t(s: &str) -> Inline {
        Inline::text(s)
    }

    fn soon() -> Instant {
        Instant::now() + Duration::from_secs(1)
    }

    #[test]
    fn a_changed_word_is_marked_and_styling_kept() {
        let old = vec![
            t("As set out in "),
            Inline::Ref {
                id: "themes".into(),
                label: "Article 3".into(),
            },
            t(", for "),
            Inline::Strong {
                content: vec![t("three")],
            },
            t(" years."),
        ];
        let mut new = old.clone();
        new[3] = Inline::Strong {
            content: vec![t("four")],
        };
        let d = diff(&old, &new, soon());
        assert_eq!(d.changes, 1);
        let out = &d.parts[0];
        assert!(out.contains(&Inline::Ref {
            id: "themes".into(),
            label: "Article 3".into()
        }));
        assert!(out.contains(&Inline::Del {
            content: vec![Inline::Strong {
                content: vec![t("three")]
            }]
        }));
        assert!(out.contains(&Inline::Ins {
            content: vec![Inline::Strong {
                content: vec![t("four")]
            }]
        }));
    }

    #[test]
    fn two_items_merged_keep_their_words_in_one() {
        let a = vec![t("exchange of experts;")];
        let b = vec![t("joint seminars.")];
        let merged = vec![t("exchange of experts and joint seminars.")];
        let d = diff_parts(&[&a, &b], &[&merged], soon());
        assert_eq!(d.parts.len(), 1);
        let text = plain::inlines(&d.parts[0]);
        assert!(text.contains("exchange of experts"), "{text}");
        assert!(d.parts[0].iter().any(|i| matches!(i, Inline::Del { .. })));
    }

    #[test]
    fn a_split_item_gives_each_part_its_words() {
        let whole_item = vec![t("Exchange of experts and joint seminars.")];
        let one = vec![t("Exchange of experts.")];
        let two = vec![t("Joint seminars.")];
        let d = diff_parts(&[&whole_item], &[&one, &two], soon());
        assert_eq!(d.parts.len(), 2);
        assert!(plain::inlines(&d.parts[0]).contains("Exchange of experts"));
        assert!(plain::inlines(&d.parts[1]).contains("seminars"));
    }
}
