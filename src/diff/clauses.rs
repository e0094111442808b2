//! The text a reader sees, article by article, in one language version of the document
//! model: what the redline compares. Each article is a [`Clause`] keyed by its id, so the
//! redline matches articles across rounds by identity; the preamble (title block, parties,
//! recitals), the signing text with the signature block, and the annexes are clauses too.

use crate::model::{Signatures, Version, plain};

/// One article (or the preamble, or an unnumbered section) as a reader sees it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Clause {
    /// The article's id (`costs`), or `preamble`, `signatures`, `annexes`.
    pub id: String,
    /// The heading text; empty for the preamble.
    pub heading: String,
    /// Whether the heading is numbered ("Article N").
    pub numbered: bool,
    /// The clause body: paragraphs separated by `"\n\n"`, single spaces inside paragraphs.
    pub text: String,
}

/// Id of the pseudo-clause holding everything before the first article.
pub const PREAMBLE_ID: &str = "preamble";

/// A version's clauses, in reading order, with the document's signature block under the
/// signing text.
pub fn of_version(version: &Version, signatures: &Signatures) -> Vec<Clause> {
    let mut out = Vec::new();
    let title = &version.title;
    let mut preamble: Vec<String> = version.copy_for.iter().cloned().collect();
    preamble.push(title.title.clone());
    preamble.extend(title.subtitle.iter().cloned());
    if !title.between.is_empty() {
        preamble.push(title.between.clone());
    }
    for (i, p) in title.parties.iter().enumerate() {
        if i + 1 == title.parties.len() && i > 0 {
            preamble.push(title.and.clone());
        }
        preamble.push(p.name.clone());
        preamble.extend(p.country.iter().cloned());
    }
    preamble.extend(plain::paragraphs(&version.preamble));
    out.push(clause(PREAMBLE_ID, String::new(), false, preamble));
    out.retain(|c| !c.text.is_empty());
    for a in &version.articles {
        let heading = plain::inlines(&a.heading);
        out.push(clause(&a.id, heading, true, plain::paragraphs(&a.blocks)));
    }
    let (heading, mut text) = match &version.signing {
        Some(s) => (plain::inlines(&s.heading), plain::paragraphs(&s.blocks)),
        None => (String::new(), Vec::new()),
    };
    text.extend(signature_lines(signatures));
    if !heading.is_empty() || !text.is_empty() {
        out.push(clause("signatures", heading, false, text));
    }
    if let Some(annexes) = &version.annexes {
        let mut text = Vec::new();
        for a in &annexes.items {
            let title = plain::inlines(&a.title);
            match (a.label.is_empty(), title.is_empty()) {
                (true, _) => {}
                (false, true) => text.push(a.label.clone()),
                (false, false) => text.push(format!("{}{}{title}", a.label, annexes.separator)),
            }
            text.extend(plain::paragraphs(&a.blocks));
        }
        out.push(clause(
            "annexes",
            plain::inlines(&annexes.heading),
            false,
            text,
        ));
    }
    out
}

/// The signature block as lines of text, party by party.
fn signature_lines(sig: &Signatures) -> Vec<String> {
    let mut out = Vec::new();
    for party in &sig.parties {
        out.extend(party.for_lines.iter().cloned());
        for s in &party.people {
            out.push(format!(
                "{}: {}",
                sig.place_date,
                s.place_date.as_deref().unwrap_or("____")
            ));
            out.extend(s.names.iter().cloned());
            out.extend(s.titles.iter().cloned());
        }
    }
    if let Some(label) = &sig.witnesses_label {
        out.push(label.clone());
        for s in &sig.witnesses {
            out.extend(s.names.iter().cloned());
            out.extend(s.titles.iter().cloned());
        }
    }
    out
}

fn clause(id: &str, heading: String, numbered: bool, paragraphs: Vec<String>) -> Clause {
    Clause {
        id: id.to_string(),
        heading: normalise_ws(&heading),
        numbered,
        text: paragraphs
            .iter()
            .map(|p| normalise_ws(p))
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n"),
    }
}

/// Every whitespace run as one space, none at the ends.
pub fn normalise_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The clauses of one English version written as template Markdown (for tests).
#[cfg(test)]
pub fn of_markdown(text: &str) -> Vec<Clause> {
    use crate::model::{TitleBlock, Words, markdown};
    let words: Words =
        serde_yaml_ng::from_str(include_str!("../../templates/shared/words/en.yaml")).unwrap();
    let body = markdown::parse(text, &words).unwrap();
    let version = Version {
        lang: "en".into(),
        text: words.text.clone(),
        copy_for: None,
        title: TitleBlock {
            title: String::new(),
            subtitle: None,
            between: String::new(),
            and: String::new(),
            parties: Vec::new(),
        },
        preamble: body.preamble,
        articles: body.articles,
        signing: body.signing,
        annexes: body.annexes,
    };
    let signatures = Signatures {
        execution: false,
        place_date: String::new(),
        signature: String::new(),
        parties: Vec::new(),
        witnesses_label: None,
        witnesses: Vec::new(),
    };
    of_version(&version, &signatures)
}
