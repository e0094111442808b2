//! The redline document seen clause by clause: what the terminal and JSON outputs list.
//!
//! Owns [`of_redline`]: each version's preamble (title block, parties, recitals), each article
//! (by id), the signing text with the signature block, and the annexes become one
//! [`ClauseDiff`] each, its segments read off the marks the merge put in place
//! ([`crate::diff::merge`]). So the terminal, the JSON and the PDF show the same diff.

use crate::diff::text::{ClauseDiff, ClauseStatus};
use crate::diff::words::{Segment, SegmentKind};
use crate::model::{
    Article, Block, Change, ChangeKind, Content, Document, Inline, Signatures, TitleBlock,
};

/// Id of the pseudo-clause holding everything before the first article.
pub const PREAMBLE_ID: &str = "preamble";

/// Every clause of the redline `merged` of `old` and `new`, version by version, unchanged ones
/// included. `language` is set on each when the document has several versions.
pub fn of_redline(
    merged: &Document,
    old: &Document,
    new: &Document,
    several: bool,
    approximate: bool,
) -> Vec<ClauseDiff> {
    let mut out = Vec::new();
    for v in &merged.versions {
        let find = |d: &'_ Document| d.versions.iter().find(|x| x.lang == v.lang).cloned();
        let (o, n) = (find(old), find(new));
        let language = several.then(|| v.lang.clone());
        let mut push = |mut c: ClauseDiff| {
            if c.segments.is_empty() && c.heading_segments.is_empty() {
                return;
            }
            c.language = language.clone();
            c.approximate = approximate && c.is_change();
            out.push(c);
        };
        let mut preamble = Segments::default();
        title_block(&mut preamble, &v.title);
        preamble.blocks(&v.preamble);
        push(clause(
            PREAMBLE_ID,
            preamble,
            Vec::new(),
            o.is_some(),
            n.is_some(),
        ));
        for a in &v.articles {
            let old_a = o
                .as_ref()
                .and_then(|x| x.articles.iter().find(|b| b.id == a.id));
            let new_a = n
                .as_ref()
                .and_then(|x| x.articles.iter().find(|b| b.id == a.id));
            push(article(a, old_a, new_a));
        }
        let mut signing = Segments::default();
        let mut heading = Vec::new();
        if let Some(s) = &v.signing {
            heading = Segments::of(&s.heading);
            signing.blocks(&s.blocks);
        }
        signature_block(&mut signing, &merged.signatures);
        push(clause(
            "signatures",
            signing,
            heading,
            o.is_some(),
            n.is_some(),
        ));
        if let Some(x) = &v.annexes {
            let mut text = Segments::default();
            for a in &x.items {
                let kind = kind_of(a.change.as_ref().map(|c| c.kind));
                if !a.label.is_empty() {
                    text.push(kind, &a.label);
                    if !a.title.is_empty() {
                        text.push(kind, &x.separator);
                        text.content(&a.title, SegmentKind::Equal);
                    }
                    text.paragraph();
                }
                text.blocks(&a.blocks);
            }
            let heading = Segments::of(&x.heading);
            let mut c = clause("annexes", text, heading, o.is_some(), n.is_some());
            for a in &x.items {
                c.notes.extend(a.change.iter().cloned());
                item_notes(&a.blocks, &mut c.notes);
            }
            push(c);
        }
    }
    out
}

fn article(a: &Article, old: Option<&Article>, new: Option<&Article>) -> ClauseDiff {
    let mut text = Segments::default();
    text.blocks(&a.blocks);
    let heading = Segments::of(&a.heading);
    let mut c = clause(&a.id, text, heading, old.is_some(), new.is_some());
    c.old_number = old.map(|x| x.number);
    c.new_number = new.map(|x| x.number);
    c.old_label = old.map(|x| x.label.clone());
    c.new_label = new.map(|x| x.label.clone());
    c.old_heading = old.map(|x| crate::model::plain::inlines(&x.heading));
    c.new_heading = new.map(|x| crate::model::plain::inlines(&x.heading));
    if a.change.as_ref().map(|ch| ch.kind) == Some(ChangeKind::Moved) {
        c.status = ClauseStatus::Moved;
        c.changes = c.changes.max(1);
    }
    // An inserted or deleted article says so in its status; a moved one also in a note.
    let moved = a.change.iter().filter(|ch| ch.kind == ChangeKind::Moved);
    c.notes.extend(moved.cloned());
    item_notes(&a.blocks, &mut c.notes);
    c
}

/// The notes on list items, in reading order.
fn item_notes(blocks: &[Block], out: &mut Vec<Change>) {
    for b in blocks {
        if let Block::List(list) = b {
            for item in &list.items {
                out.extend(item.change.iter().cloned());
                item_notes(&item.blocks, out);
            }
        }
    }
}

fn clause(
    id: &str,
    text: Segments,
    heading: Vec<Segment>,
    in_old: bool,
    in_new: bool,
) -> ClauseDiff {
    let segments = text.finish();
    let changes = count_changes(&heading) + count_changes(&segments);
    let status = match (in_old, in_new) {
        (false, true) => ClauseStatus::Inserted,
        (true, false) => ClauseStatus::Deleted,
        _ if changes > 0 => ClauseStatus::Changed,
        _ => ClauseStatus::Unchanged,
    };
    let heading_text = |keep: SegmentKind| -> Option<String> {
        let t: String = heading
            .iter()
            .filter(|s| s.kind == SegmentKind::Equal || s.kind == keep)
            .map(|s| s.text.as_str())
            .collect();
        Some(t)
    };
    ClauseDiff {
        id: id.to_string(),
        language: None,
        status,
        old_heading: in_old.then(|| heading_text(SegmentKind::Delete)).flatten(),
        new_heading: in_new.then(|| heading_text(SegmentKind::Insert)).flatten(),
        old_number: None,
        new_number: None,
        old_label: None,
        new_label: None,
        heading_segments: heading,
        segments,
        changes: if matches!(status, ClauseStatus::Inserted | ClauseStatus::Deleted) {
            1
        } else {
            changes
        },
        approximate: false,
        notes: Vec::new(),
    }
}

/// Separate changes: runs of deletions and insertions between unchanged text.
fn count_changes(segments: &[Segment]) -> usize {
    let mut n = 0;
    let mut in_change = false;
    for s in segments {
        let change = s.kind != SegmentKind::Equal;
        if change && !in_change {
            n += 1;
        }
        in_change = change;
    }
    n
}

fn kind_of(change: Option<ChangeKind>) -> SegmentKind {
    match change {
        Some(ChangeKind::Inserted) => SegmentKind::Insert,
        Some(ChangeKind::Deleted) => SegmentKind::Delete,
        _ => SegmentKind::Equal,
    }
}

fn title_block(out: &mut Segments, t: &TitleBlock) {
    out.content(&t.title, SegmentKind::Equal);
    out.paragraph();
    if let Some(s) = &t.subtitle {
        out.content(s, SegmentKind::Equal);
        out.paragraph();
    }
    for p in &t.parties {
        out.content(&p.name, SegmentKind::Equal);
        out.paragraph();
        if let Some(c) = &p.country {
            out.content(c, SegmentKind::Equal);
            out.paragraph();
        }
    }
}

fn signature_block(out: &mut Segments, sig: &Signatures) {
    for party in &sig.parties {
        for line in &party.for_lines {
            out.content(line, SegmentKind::Equal);
            out.paragraph();
        }
        for s in &party.people {
            let lines = s.names.iter().chain(&s.titles).chain(&s.affiliation);
            for c in lines.chain(&s.place_date) {
                out.content(c, SegmentKind::Equal);
                out.paragraph();
            }
        }
    }
    for s in &sig.witnesses {
        for c in s.names.iter().chain(&s.titles) {
            out.content(c, SegmentKind::Equal);
            out.paragraph();
        }
    }
}

/// Segments being collected: runs of one kind merged, paragraphs separated by `"\n\n"`.
#[derive(Default)]
struct Segments(Vec<Segment>);

impl Segments {
    fn of(content: &Content) -> Vec<Segment> {
        let mut s = Segments::default();
        s.content(content, SegmentKind::Equal);
        s.finish()
    }

    fn push(&mut self, kind: SegmentKind, text: &str) {
        if text.is_empty() {
            return;
        }
        match self.0.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(text),
            _ => self.0.push(Segment::new(kind, text)),
        }
    }

    /// A paragraph break (unchanged), unless at the start or after one.
    fn paragraph(&mut self) {
        let ends = self.0.last().is_none_or(|s| s.text.ends_with("\n\n"));
        if !ends {
            self.push(SegmentKind::Equal, "\n\n");
        }
    }

    fn content(&mut self, content: &[Inline], kind: SegmentKind) {
        for inline in content {
            match inline {
                Inline::Text { text, .. } | Inline::Date { text, .. } | Inline::Name { text } => {
                    self.push(kind, text)
                }
                Inline::Ref { label, .. } => self.push(kind, label),
                Inline::Break => self.push(kind, " "),
                Inline::Emph { content } | Inline::Strong { content } => {
                    self.content(content, kind)
                }
                Inline::Ins { content } => self.content(content, SegmentKind::Insert),
                Inline::Del { content } => self.content(content, SegmentKind::Delete),
            }
        }
    }

    fn blocks(&mut self, blocks: &[Block]) {
        for b in blocks {
            match b {
                Block::Paragraph { content } => {
                    self.content(content, SegmentKind::Equal);
                    self.paragraph();
                }
                Block::List(list) => {
                    for item in &list.items {
                        let kind = kind_of(item.change.as_ref().map(|c| c.kind));
                        self.push(kind, &format!("{} ", item.marker));
                        if let Some(t) = &item.title {
                            self.content(t, SegmentKind::Equal);
                            self.paragraph();
                        }
                        self.blocks(&item.blocks);
                        self.paragraph();
                    }
                }
            }
        }
    }

    fn finish(mut self) -> Vec<Segment> {
        if let Some(last) = self.0.last_mut() {
            let trimmed = last.text.trim_end().len();
            last.text.truncate(trimmed);
        }
        self.0.retain(|s| !s.text.is_empty());
        self.0
    }
}
