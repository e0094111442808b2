//! The text a reader sees, article by article, in a filled Typst source.
//!
//! Owns [`extract_clauses`]: it parses the Typst produced by the template fill (never evaluates
//! it) and returns one [`Clause`] per article, keyed by the article's label, so the redline in
//! `crate::diff` can match articles across rounds by identity and word-diff what a reader reads.
//! It does not number articles (numbers are derived from positions by the diff) and does not
//! know about terms or rendering.
//!
//! Rules, in short:
//! - `= Heading <label>` (level 1, with a label) starts a numbered clause with id `label`;
//!   `#heading(numbering: none)[Heading] <label>` starts an unnumbered one (a `#heading` call
//!   without `numbering: none` is numbered, one with `level:`/`depth:` other than 1 is text).
//!   Text before the first such heading is the clause `preamble` (dropped when empty).
//! - Text nodes, escapes (`\#` → `#`), shorthands (`~` → space, `--` → –, `---` → —), smart
//!   quotes (as the plain character), raw text and bare links are kept; strong/emph/list/enum/
//!   term items and lower-level headings are recursed.
//! - Function calls: content passed to them is recursed wherever it sits in the arguments
//!   (positional, named, inside arrays/dicts: `signature-block(party: [..], people: (..))`),
//!   except for invisible ones (`hide`, `metadata`, `image`, `counter`, `numbering`, …);
//!   `h` is a space, `v`/`pagebreak` a paragraph break.
//! - Code (set/show/let rules, code blocks, strings in code), equations, comments and labels
//!   are skipped; `@label` becomes the heading of the labelled heading when known (so
//!   renumbering never changes the text).
//! - Paragraphs are joined with `"\n\n"`; inside a paragraph every whitespace run (including
//!   NBSP and line breaks) becomes one space. Block-level items (list items, headings, aligned
//!   blocks, table cells) are paragraphs of their own.

use std::collections::HashMap;

use typst_syntax::ast::{self, AstNode};
use typst_syntax::{SyntaxKind, SyntaxNode};

/// One article (or the preamble, or an unnumbered section) as a reader sees it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Clause {
    /// The heading's label (`costs` for `= Costs <costs>`), or `preamble`. Unique within one
    /// document: a repeated label gets `#2`, `#3`, … appended.
    pub id: String,
    /// The heading text, whitespace-normalised; empty for the preamble.
    pub heading: String,
    /// Whether the heading is numbered ("Article N").
    pub numbered: bool,
    /// The clause body: paragraphs separated by `"\n\n"`, single spaces inside paragraphs.
    pub text: String,
}

/// Id of the pseudo-clause holding everything before the first article.
pub const PREAMBLE_ID: &str = "preamble";

/// Splits a filled Typst source into clauses (see the module docs for the rules).
pub fn extract_clauses(typst_source: &str) -> Vec<Clause> {
    let root = typst_syntax::parse(typst_source);
    let mut labels = HashMap::new();
    collect_labels(&root, &mut labels);
    let mut walker = Walker::new(&labels, true);
    walker.markup(&root);
    walker.finish()
}

/// A heading that starts a clause: its body and whether it is numbered.
pub(crate) struct ClauseHeading<'a> {
    body: &'a SyntaxNode,
    numbered: bool,
}

/// Paragraph-aware text accumulator.
#[derive(Default)]
struct TextBuf {
    paras: Vec<String>,
    cur: String,
}

impl TextBuf {
    fn push(&mut self, s: &str) {
        self.cur.push_str(s);
    }

    fn push_char(&mut self, c: char) {
        self.cur.push(c);
    }

    fn space(&mut self) {
        self.cur.push(' ');
    }

    fn parbreak(&mut self) {
        let para = normalise_ws(&self.cur);
        if !para.is_empty() {
            self.paras.push(para);
        }
        self.cur.clear();
    }

    fn take(&mut self) -> String {
        self.parbreak();
        std::mem::take(&mut self.paras).join("\n\n")
    }
}

/// Collapses every whitespace run (NBSP and newlines included) to one space and trims.
pub(crate) fn normalise_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct Walker<'l> {
    labels: &'l HashMap<String, String>,
    clauses: Vec<Clause>,
    current: Clause,
    text: TextBuf,
    /// Whether clause headings are recognised (off while extracting a heading's own text).
    detect: bool,
}

impl<'l> Walker<'l> {
    fn new(labels: &'l HashMap<String, String>, detect: bool) -> Self {
        Walker {
            labels,
            clauses: Vec::new(),
            current: Clause {
                id: PREAMBLE_ID.to_string(),
                heading: String::new(),
                numbered: false,
                text: String::new(),
            },
            text: TextBuf::default(),
            detect,
        }
    }

    fn finish(mut self) -> Vec<Clause> {
        self.close_clause();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for clause in &mut self.clauses {
            let n = seen.entry(clause.id.clone()).or_insert(0);
            *n += 1;
            if *n > 1 {
                clause.id = format!("{}#{}", clause.id, n);
            }
        }
        self.clauses
    }

    fn close_clause(&mut self) {
        self.current.text = self.text.take();
        let is_empty_preamble = self.current.id == PREAMBLE_ID
            && self.current.heading.is_empty()
            && self.current.text.is_empty()
            && self.clauses.is_empty();
        if !is_empty_preamble {
            self.clauses.push(self.current.clone());
        }
    }

    fn start_clause(&mut self, id: &str, heading: &ClauseHeading<'_>) {
        self.close_clause();
        let heading_text = self.inline_text(heading.body);
        self.current = Clause {
            id: id.to_string(),
            heading: heading_text,
            numbered: heading.numbered,
            text: String::new(),
        };
    }

    /// The text of `node` as one normalised line, without touching the clause being built.
    fn inline_text(&mut self, node: &SyntaxNode) -> String {
        let saved = std::mem::take(&mut self.text);
        let saved_detect = std::mem::replace(&mut self.detect, false);
        match node.cast::<ast::Str>() {
            Some(s) => self.text.push(&s.get()),
            None => self.node(node),
        }
        let out = normalise_ws(&self.text.take().replace("\n\n", " "));
        self.text = saved;
        self.detect = saved_detect;
        out
    }

    /// Walks the children of a markup node, watching for clause-starting headings.
    fn markup(&mut self, node: &SyntaxNode) {
        let children: Vec<&SyntaxNode> = node.children().collect();
        for (i, child) in children.iter().enumerate() {
            if self.detect
                && let Some(heading) = clause_heading(child)
                && let Some(label) = label_after(&children[i + 1..])
            {
                self.start_clause(label, &heading);
                continue;
            }
            self.node(child);
        }
    }

    fn node(&mut self, node: &SyntaxNode) {
        match node.kind() {
            SyntaxKind::Markup => self.markup(node),
            SyntaxKind::Text => self.text.push(node.leaf_text()),
            SyntaxKind::Space | SyntaxKind::Linebreak => self.text.space(),
            SyntaxKind::Parbreak => self.text.parbreak(),
            SyntaxKind::Escape => {
                if let Some(e) = node.cast::<ast::Escape>() {
                    self.text.push_char(e.get());
                }
            }
            SyntaxKind::Shorthand => {
                if let Some(s) = node.cast::<ast::Shorthand>() {
                    match s.get() {
                        '\u{00AD}' => {}
                        '\u{00A0}' => self.text.space(),
                        c => self.text.push_char(c),
                    }
                }
            }
            SyntaxKind::SmartQuote => self.text.push(node.leaf_text()),
            SyntaxKind::Strong | SyntaxKind::Emph => self.children(node),
            SyntaxKind::Heading => self.block(node),
            SyntaxKind::ListItem => self.block(node),
            SyntaxKind::EnumItem => {
                self.text.parbreak();
                if let Some(item) = node.cast::<ast::EnumItem>()
                    && let Some(n) = item.number()
                {
                    self.text.push(&format!("{n}. "));
                }
                self.children(node);
                self.text.parbreak();
            }
            SyntaxKind::TermItem => {
                self.text.parbreak();
                if let Some(item) = node.cast::<ast::TermItem>() {
                    self.markup(item.term().to_untyped());
                    self.text.push(": ");
                    self.markup(item.description().to_untyped());
                }
                self.text.parbreak();
            }
            SyntaxKind::Raw => {
                if let Some(raw) = node.cast::<ast::Raw>() {
                    let lines: Vec<&str> = raw.lines().map(|l| l.get().as_str()).collect();
                    self.text.push(&lines.join(" "));
                }
            }
            SyntaxKind::Link => self.text.push(node.leaf_text()),
            SyntaxKind::Ref => self.reference(node),
            SyntaxKind::ContentBlock => self.children(node),
            SyntaxKind::FuncCall => self.func_call(node),
            // Markers, labels, comments, code, equations, errors: not reader-visible text.
            _ => {}
        }
    }

    fn children(&mut self, node: &SyntaxNode) {
        for child in node.children() {
            self.node(child);
        }
    }

    /// A block-level element: a paragraph of its own.
    fn block(&mut self, node: &SyntaxNode) {
        self.text.parbreak();
        self.children(node);
        self.text.parbreak();
    }

    fn reference(&mut self, node: &SyntaxNode) {
        let Some(r) = node.cast::<ast::Ref>() else {
            return;
        };
        if let Some(supplement) = r.supplement() {
            self.children(supplement.to_untyped());
            self.text.space();
        }
        let target = r.target();
        match self.labels.get(target) {
            Some(heading) => self.text.push(heading),
            None => self.text.push(target),
        }
    }

    fn func_call(&mut self, node: &SyntaxNode) {
        let Some(call) = node.cast::<ast::FuncCall>() else {
            return;
        };
        // `#ref(<label>)`: what `@label` is, written as a call (e.g. right before CJK text,
        // which `@label` would swallow into the label).
        if matches!(call.callee(), ast::Expr::Ident(i) if i.as_str() == "ref")
            && let Some(ast::Arg::Pos(ast::Expr::Label(label))) = call.args().items().next()
        {
            let target = label.get();
            let heading = self.labels.get(target).cloned();
            self.text.push(heading.as_deref().unwrap_or(target));
            return;
        }
        let kind = call_kind(call.callee());
        match kind {
            CallKind::Hidden => return,
            CallKind::Space => return self.text.space(),
            CallKind::Break => return self.text.parbreak(),
            CallKind::Link | CallKind::Inline => {}
            CallKind::Block | CallKind::PerArgument => self.text.parbreak(),
        }
        let separate = kind == CallKind::PerArgument;
        let mut has_content = false;
        for arg in call.args().items() {
            let expr = match arg {
                ast::Arg::Pos(expr) => expr,
                ast::Arg::Named(named) => named.expr(),
                ast::Arg::Spread(_) => continue,
            };
            has_content |= self.arg_content(expr, separate);
        }
        if !has_content
            && kind == CallKind::Link
            && let Some(ast::Arg::Pos(ast::Expr::Str(s))) = call.args().items().next()
        {
            // `#link("https://…")` without a body shows the address itself.
            self.text.push(&s.get());
        }
        if matches!(kind, CallKind::Block | CallKind::PerArgument) {
            self.text.parbreak();
        }
    }

    /// The content inside a call argument: content blocks and calls, also inside arrays,
    /// dictionaries and parentheses (`people: ((name: [A. Svensson], title: [Mayor]),)`).
    /// Strings and other code values are options, not text. Returns whether any was found.
    fn arg_content(&mut self, expr: ast::Expr<'_>, separate: bool) -> bool {
        let found = match expr {
            ast::Expr::ContentBlock(block) => {
                self.node(block.to_untyped());
                true
            }
            ast::Expr::FuncCall(call) => {
                self.func_call(call.to_untyped());
                true
            }
            ast::Expr::Array(array) => {
                let mut any = false;
                for item in array.items() {
                    if let ast::ArrayItem::Pos(e) = item {
                        any |= self.arg_content(e, separate);
                    }
                }
                return any;
            }
            ast::Expr::Dict(dict) => {
                let mut any = false;
                for item in dict.items() {
                    any |= match item {
                        ast::DictItem::Named(n) => self.arg_content(n.expr(), separate),
                        ast::DictItem::Keyed(k) => self.arg_content(k.expr(), separate),
                        ast::DictItem::Spread(_) => false,
                    };
                }
                return any;
            }
            ast::Expr::Parenthesized(p) => return self.arg_content(p.expr(), separate),
            _ => false,
        };
        if found && separate {
            self.text.parbreak();
        }
        found
    }
}

/// How a function call's content reaches the reader.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CallKind {
    /// `h(..)`: a space.
    Space,
    /// `v(..)`, `parbreak()`, `pagebreak()`: a paragraph break.
    Break,
    /// Not visible as text (`hide`, `metadata`, `image`, counters, …).
    Hidden,
    /// Text styling: content flows inline (`text`, `strong`, `box`, …).
    Inline,
    /// `link(..)`: inline; shows its address when it has no body.
    Link,
    /// A block of its own (`align`, `block`, `heading`, …).
    Block,
    /// Each argument its own paragraph: cells, items, and calls of template-defined
    /// functions such as `signature-block(party: [..], people: (..))`.
    PerArgument,
}

fn call_kind(callee: ast::Expr<'_>) -> CallKind {
    let name = match callee {
        ast::Expr::Ident(ident) => ident.as_str(),
        ast::Expr::FieldAccess(access) => access.field().as_str(),
        _ => "",
    };
    match name {
        "h" | "linebreak" => CallKind::Space,
        "v" | "parbreak" | "pagebreak" | "colbreak" => CallKind::Break,
        "hide" | "metadata" | "image" | "counter" | "numbering" | "state" | "query" | "line"
        | "rgb" | "luma" | "cmyk" | "color" | "gradient" | "tiling" | "pattern" | "stroke"
        | "repeat" | "label" | "ref" | "cite" | "bibliography" | "outline" => CallKind::Hidden,
        "link" => CallKind::Link,
        "text" | "strong" | "emph" | "underline" | "overline" | "strike" | "highlight"
        | "smallcaps" | "upper" | "lower" | "box" | "super" | "sub" | "footnote" | "sym"
        | "with" | "rotate" | "scale" | "move" | "skew" => CallKind::Inline,
        "align" | "block" | "pad" | "par" | "heading" | "figure" | "columns" | "place" | "rect"
        | "square" | "circle" | "ellipse" | "quote" | "header" | "footer" | "caption" => {
            CallKind::Block
        }
        _ => CallKind::PerArgument,
    }
}

/// If `node` is a heading that can start a clause (level 1 markup heading, or a level-1
/// `heading(..)` call), its body and numbering.
pub(crate) fn clause_heading(node: &SyntaxNode) -> Option<ClauseHeading<'_>> {
    if let Some(heading) = node.cast::<ast::Heading>() {
        if heading.depth().get() != 1 {
            return None;
        }
        return Some(ClauseHeading {
            body: heading.body().to_untyped(),
            numbered: true,
        });
    }
    let call = node.cast::<ast::FuncCall>()?;
    if !matches!(call.callee(), ast::Expr::Ident(ident) if ident.as_str() == "heading") {
        return None;
    }
    let mut body = None;
    let mut numbered = true;
    for arg in call.args().items() {
        match arg {
            ast::Arg::Pos(ast::Expr::ContentBlock(block)) => body = Some(block.to_untyped()),
            ast::Arg::Pos(ast::Expr::Str(s)) => body = Some(s.to_untyped()),
            ast::Arg::Named(named) => match (named.name().as_str(), named.expr()) {
                ("numbering", ast::Expr::None(_)) => numbered = false,
                ("level" | "depth", ast::Expr::Int(level)) if level.get() != 1 => return None,
                ("body", ast::Expr::ContentBlock(block)) => body = Some(block.to_untyped()),
                _ => {}
            },
            _ => {}
        }
    }
    Some(ClauseHeading {
        body: body?,
        numbered,
    })
}

/// The label right after a heading (only spaces in between, no paragraph break).
pub(crate) fn label_after<'a>(rest: &[&'a SyntaxNode]) -> Option<&'a str> {
    for node in rest {
        match node.kind() {
            SyntaxKind::Space => continue,
            SyntaxKind::Label => return node.cast::<ast::Label>().map(|l| l.get()),
            _ => return None,
        }
    }
    None
}

/// Maps every heading label (any level) to its heading text, for resolving `@refs`.
fn collect_labels(node: &SyntaxNode, out: &mut HashMap<String, String>) {
    let children: Vec<&SyntaxNode> = node.children().collect();
    for (i, child) in children.iter().enumerate() {
        if node.kind() == SyntaxKind::Markup
            && let Some(body) = any_heading_body(child)
            && let Some(label) = label_after(&children[i + 1..])
        {
            let empty = HashMap::new();
            let text = Walker::new(&empty, false).inline_text(body);
            out.entry(label.to_string()).or_insert(text);
        }
        collect_labels(child, out);
    }
}

/// The body of a heading of any level, markup or `heading(..)` call.
fn any_heading_body(node: &SyntaxNode) -> Option<&SyntaxNode> {
    if let Some(heading) = node.cast::<ast::Heading>() {
        return Some(heading.body().to_untyped());
    }
    let call = node.cast::<ast::FuncCall>()?;
    if !matches!(call.callee(), ast::Expr::Ident(ident) if ident.as_str() == "heading") {
        return None;
    }
    call.args().items().find_map(|arg| match arg {
        ast::Arg::Pos(ast::Expr::ContentBlock(block)) => Some(block.to_untyped()),
        ast::Arg::Pos(ast::Expr::Str(s)) => Some(s.to_untyped()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(clauses: &[Clause]) -> Vec<&str> {
        clauses.iter().map(|c| c.id.as_str()).collect()
    }

    const AGREEMENT: &str = r#"#set page(paper: "a4", margin: 2.5cm)
#set text(font: "Libertinus Serif", lang: "en")
#let draft = true
#show heading: it => block(it)
// Generated by pactum; do not edit.
#align(center)[
  #text(size: 16pt)[*Partnership Agreement*] \
  between the City of Malmö and Taipei~City
]

The Parties, _recognising_ their friendship -- since 2001 ---
have agreed as follows:

= Purpose <purpose>
The partnership promotes exchange in the areas listed in @areas.

= Areas of Cooperation <areas>
The Parties shall cooperate in:
- culture and the arts;
- youth exchange;
+ sustainable transport.

== Review
Every 3 years.

= Costs <costs>
Each Party bears its own costs.
Line one \
line two.

#heading(numbering: none)[Signatures] <signatures>
#table(columns: 2)[For Malmö][For Taipei]
$x^2$ /* block comment */
"#;

    #[test]
    fn splits_articles_by_label() {
        let clauses = extract_clauses(AGREEMENT);
        assert_eq!(
            ids(&clauses),
            ["preamble", "purpose", "areas", "costs", "signatures"]
        );
        let numbered: Vec<bool> = clauses.iter().map(|c| c.numbered).collect();
        assert_eq!(numbered, [false, true, true, true, false]);
        assert_eq!(clauses[2].heading, "Areas of Cooperation");
        assert_eq!(clauses[4].heading, "Signatures");
    }

    #[test]
    fn preamble_text_skips_code_and_resolves_shorthands() {
        let clauses = extract_clauses(AGREEMENT);
        assert_eq!(
            clauses[0].text,
            "Partnership Agreement between the City of Malmö and Taipei City\n\n\
             The Parties, recognising their friendship – since 2001 — have agreed as follows:"
        );
    }

    #[test]
    fn refs_lists_and_subheadings() {
        let clauses = extract_clauses(AGREEMENT);
        assert_eq!(
            clauses[1].text,
            "The partnership promotes exchange in the areas listed in Areas of Cooperation."
        );
        assert_eq!(
            clauses[2].text,
            "The Parties shall cooperate in:\n\nculture and the arts;\n\nyouth exchange;\n\n\
             sustainable transport.\n\nReview\n\nEvery 3 years."
        );
        assert_eq!(
            clauses[3].text,
            "Each Party bears its own costs. Line one line two."
        );
        assert_eq!(clauses[4].text, "For Malmö\n\nFor Taipei");
    }

    #[test]
    fn escaped_hostile_text_is_plain_text() {
        let src = "= Purpose <purpose>\nRead \\#read\\(\\\"\\/etc\\/passwd\\\"\\) and \\*bold\\* \\u{1F5FA}.";
        let clauses = extract_clauses(src);
        assert_eq!(clauses.len(), 1);
        assert_eq!(
            clauses[0].text,
            "Read #read(\"/etc/passwd\") and *bold* \u{1F5FA}."
        );
    }

    #[test]
    fn smart_quotes_and_enum_numbers() {
        let src = "= A <a>\nIt's \"agreed\".\n\n1. first\n2. second";
        let clauses = extract_clauses(src);
        assert_eq!(clauses[0].text, "It's \"agreed\".\n\n1. first\n\n2. second");
    }

    #[test]
    fn unlabelled_or_deeper_headings_stay_text() {
        let src = "Intro.\n\n= Loose heading\nBody.\n\n#heading(level: 2)[Deep] <deep>\nMore.";
        let clauses = extract_clauses(src);
        assert_eq!(ids(&clauses), ["preamble"]);
        assert_eq!(
            clauses[0].text,
            "Intro.\n\nLoose heading\n\nBody.\n\nDeep\n\nMore."
        );
    }

    #[test]
    fn empty_preamble_dropped_and_duplicate_ids_made_unique() {
        let src = "#set text(size: 11pt)\n= One <x>\nA\n= Two <x>\nB\n#heading(\"Three\") <t>\nC";
        let clauses = extract_clauses(src);
        assert_eq!(ids(&clauses), ["x", "x#2", "t"]);
        assert_eq!(clauses[2].heading, "Three");
        assert!(clauses[2].numbered);
    }

    #[test]
    fn headings_nested_in_content_blocks_and_inline_calls() {
        let src = "#block[\n= Costs <costs>\n#text(size: 9pt)[Small *print*] and #link(\"https://x.org\").\n]";
        let clauses = extract_clauses(src);
        assert_eq!(ids(&clauses), ["costs"]);
        assert_eq!(clauses[0].text, "Small print and https://x.org.");
    }

    /// The shape of the shared signature partial after filling.
    const SIGNATURES: &str = r#"#let signature-block(party: none, people: ()) = block[
  #if party != none [For #strong(party) \ ]
  #for person in people [ #person.name \ #emph(person.title) ]
]
#let signature-grid(..blocks) = grid(columns: (1fr, 1fr), ..blocks)

#heading(numbering: none)[Signatures] <signatures>

In witness whereof, the undersigned have signed this Agreement.

#v(0.8em)
#signature-grid(
  signature-block(
    party: [City of Malm\ö],
    country: none,
    execution: false,
    people: (
      (name: [Anna Svensson], title: [Mayor], place: [Malm\ö], date: none),
    ),
  ),
  signature-block(
    party: [Taipei City],
    country: [Taiwan],
    people: ((name: [Chen Mei], title: [Mayor\, Taipei], place: none, date: [26 November 2026]),),
  ),
)
"#;

    #[test]
    fn signature_blocks_keep_names_and_skip_definitions() {
        let clauses = extract_clauses(SIGNATURES);
        assert_eq!(ids(&clauses), ["signatures"]);
        assert_eq!(
            clauses[0].text,
            "In witness whereof, the undersigned have signed this Agreement.\n\n\
             City of Malmö\n\nAnna Svensson\n\nMayor\n\nMalmö\n\n\
             Taipei City\n\nTaiwan\n\nChen Mei\n\nMayor, Taipei\n\n26 November 2026"
        );
    }

    #[test]
    fn hidden_calls_and_nested_lists() {
        let src = "= Areas <areas>\n#enum(numbering: \"1.\", [*Culture.* Music #list([choirs], [bands])], [Sport])\n#hide[secret] #image(\"x.png\") #rotate(90deg)[Turned]";
        let clauses = extract_clauses(src);
        assert_eq!(
            clauses[0].text,
            "Culture. Music\n\nchoirs\n\nbands\n\nSport\n\nTurned"
        );
    }

    #[test]
    fn whitespace_is_normalised() {
        let a = extract_clauses("= A <a>\nOne   two\nthree~ four");
        let b = extract_clauses("= A <a>\n  One two three four  ");
        assert_eq!(a, b);
    }
}
