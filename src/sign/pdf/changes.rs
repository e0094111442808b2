//! What one incremental update changes, and whether PAdES allows that after a signature.
//!
//! Both revisions are read whole by lopdf; every object the update adds, changes or frees
//! is found by comparing them, and each is judged by what owns it in the document: the
//! catalog, a page (its content, resources, fonts, annotations), the form, a signature
//! field, the attachments, the validation data (DSS), the metadata. Allowed after a
//! signature (ETSI EN 319 142-1, as pyHanko and Adobe read it) are only: a signature field
//! and its signature value, the form and page entries that hold it, validation data, and a
//! document timestamp. Anything else is a change, named for a person ("page 1 content",
//! "1 font added on page 1", "attachment `terms.yaml` replaced").

use std::collections::{BTreeMap, BTreeSet};

use lopdf::{Dictionary, Document, Object, ObjectId};
use sha2::{Digest, Sha256};

use super::MAX_DEPTH;
use super::owners::{
    Owner, deref, describe_owner, dict, get, is_sig_field, name_is, owners, root, type_is,
};

/// What an update does, when everything it does is allowed after a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Update {
    /// Adds a signature (a new signature value in a signature field).
    Signature,
    /// Adds a document timestamp (`/Type /DocTimeStamp`).
    DocumentTimestamp,
    /// Adds or extends the validation data (the DSS and its VRI entries).
    ValidationData,
    /// Changes no object the document uses.
    Nothing,
    /// Changes what a signature does not allow: each item names one change.
    Changed(Vec<String>),
}

/// Classifies the update that turns `prev` into `next`.
pub(crate) fn classify(prev: &Document, next: &Document) -> Update {
    let mut found = Findings::default();
    let (Some(prev_root), Some(next_root)) = (root(prev), root(next)) else {
        return Update::Changed(vec!["the document catalog cannot be read".into()]);
    };
    if prev_root != next_root {
        return Update::Changed(vec!["the document catalog replaced".into()]);
    }
    if prev.trailer.get(b"Info").ok() != next.trailer.get(b"Info").ok() {
        found.metadata("the document information");
    }
    let before = owners(prev);
    let after = owners(next);
    let mut adds_signature = false;
    let mut adds_timestamp = false;
    let mut adds_validation = false;
    // Objects the document uses (now or before) that the update adds, changes or frees.
    let mut ids: BTreeSet<ObjectId> = after.keys().copied().collect();
    ids.extend(before.keys().copied());
    for id in ids {
        let old = prev.objects.get(&id);
        let new = next.objects.get(&id);
        let owner = after.get(&id).or_else(|| before.get(&id));
        let Some(owner) = owner else { continue };
        match (old, new) {
            (Some(a), Some(b)) if same(a, b) => continue,
            (Some(_), None) => {
                found.add(format!("{} removed", describe_owner(owner)));
                continue;
            }
            _ => {}
        }
        let is_new = old.is_none() || !before.contains_key(&id);
        match owner {
            Owner::SigValue if is_new => {
                if type_is(new, b"DocTimeStamp") {
                    adds_timestamp = true;
                } else {
                    adds_signature = true;
                }
            }
            Owner::SigValue => found.add("a signature value changed"),
            Owner::SigField if is_new => {}
            Owner::SigField => sig_field_changed(old, new, &mut found),
            Owner::ValidationData => adds_validation = true,
            Owner::Catalog => catalog_changed(prev, next, old, new, &mut found),
            Owner::Form => form_changed(prev, next, old, new, &mut found),
            Owner::Page(n) => page_object_changed(prev, next, *n, old, new, is_new, &mut found),
            Owner::Font(n) if is_new => {
                if type_is(new, b"Font") {
                    *found.fonts_added.entry(*n).or_default() += 1;
                }
            }
            Owner::Font(n) => found.add(format!("a font on page {n} changed")),
            Owner::Attachments => found.attachments = true,
            Owner::Metadata => found.metadata("the XMP metadata"),
            Owner::Info => found.metadata("the document information"),
            Owner::CatalogEntry(key) => found.add(format!("the document's /{key}")),
        }
    }
    if found.attachments {
        let (a, b) = (attachments(prev), attachments(next));
        let mut named = false;
        for (name, digest) in &a {
            match b.get(name) {
                None => found.add(format!("attachment `{name}` removed")),
                Some(d) if d != digest => found.add(format!("attachment `{name}` replaced")),
                Some(_) => continue,
            }
            named = true;
        }
        for name in b.keys().filter(|n| !a.contains_key(*n)) {
            found.add(format!("attachment `{name}` added"));
            named = true;
        }
        if !named {
            found.add("the document's attachment list");
        }
    }
    let changes = found.finish(adds_signature || adds_timestamp || adds_validation);
    if !changes.is_empty() {
        Update::Changed(changes)
    } else if adds_timestamp {
        Update::DocumentTimestamp
    } else if adds_signature {
        Update::Signature
    } else if adds_validation {
        Update::ValidationData
    } else {
        Update::Nothing
    }
}

/// Changes found so far, in the order found, each once; fonts counted per page.
#[derive(Default)]
struct Findings {
    items: Vec<String>,
    fonts_added: BTreeMap<u32, usize>,
    attachments: bool,
    /// Document information and XMP metadata changed: signing tools (pyHanko, Acrobat)
    /// update them with a signature, a timestamp or validation data, so they are a change
    /// only in a revision that adds none of these.
    metadata: Vec<&'static str>,
}

impl Findings {
    fn add(&mut self, what: impl Into<String>) {
        let what = what.into();
        if !self.items.contains(&what) {
            self.items.push(what);
        }
    }

    fn metadata(&mut self, what: &'static str) {
        if !self.metadata.contains(&what) {
            self.metadata.push(what);
        }
    }

    fn finish(mut self, allowed: bool) -> Vec<String> {
        if !allowed || !self.items.is_empty() || !self.fonts_added.is_empty() {
            self.items
                .extend(self.metadata.iter().map(|m| m.to_string()));
        }
        for (page, n) in self.fonts_added {
            let fonts = if n == 1 { "font" } else { "fonts" };
            self.items.push(format!("{n} {fonts} added on page {page}"));
        }
        self.items
    }
}

/// Equal as PDF objects (a stream's place in the file aside).
fn same(a: &Object, b: &Object) -> bool {
    match (a, b) {
        (Object::Stream(x), Object::Stream(y)) => x.dict == y.dict && x.content == y.content,
        _ => a == b,
    }
}

/// Keys of two dictionaries whose values differ.
fn changed_keys<'a>(a: &'a Dictionary, b: &'a Dictionary) -> Vec<&'a [u8]> {
    let mut keys: Vec<&[u8]> = Vec::new();
    for (k, v) in a.iter() {
        if b.get(k).ok() != Some(v) {
            keys.push(k);
        }
    }
    for (k, _) in b.iter() {
        if !a.has(k) {
            keys.push(k);
        }
    }
    keys
}

fn key_name(key: &[u8]) -> String {
    String::from_utf8_lossy(key).into_owned()
}

/// The catalog may gain or change its form, its validation data and the extensions the
/// DSS declares; its attachment entries are judged with the attachments.
fn catalog_changed(
    prev: &Document,
    next: &Document,
    old: Option<&Object>,
    new: Option<&Object>,
    found: &mut Findings,
) {
    let (Some(a), Some(b)) = (dict(old), dict(new)) else {
        found.add("the document catalog");
        return;
    };
    for key in changed_keys(a, b) {
        match key {
            // A new indirect form is judged as its own object; one that replaces another
            // is compared with it, so fields it drops are seen.
            b"AcroForm" => match (a.get(key), b.get(key)) {
                (Err(_), Ok(Object::Reference(_))) => {}
                (x, y) => form_changed(
                    prev,
                    next,
                    x.ok().map(|o| deref(prev, o)),
                    y.ok().map(|o| deref(next, o)),
                    found,
                ),
            },
            b"DSS" | b"Extensions" => {}
            b"Names" | b"AF" => found.attachments = true,
            other => found.add(format!("the document catalog's /{}", key_name(other))),
        }
    }
}

/// The form may gain signature fields (and the flags and resources they need); any other
/// field added or changed is a change.
fn form_changed(
    prev: &Document,
    next: &Document,
    old: Option<&Object>,
    new: Option<&Object>,
    found: &mut Findings,
) {
    let empty = Dictionary::new();
    let Some(b) = dict(new) else {
        found.add("the form removed");
        return;
    };
    let a = dict(old).unwrap_or(&empty);
    if !is_form_dict(a) && !is_form_dict(b) {
        if b.has(b"T") || b.has(b"FT") || b.has(b"Kids") {
            let name = b
                .get(b"T")
                .ok()
                .and_then(|t| lopdf::decode_text_string(t).ok())
                .unwrap_or_default();
            let what = match (old, changed_keys(a, b).contains(&b"V".as_slice())) {
                (None, _) => "added",
                (Some(_), true) => "value changed",
                (Some(_), false) => "changed",
            };
            found.add(format!("form field `{name}` {what}"));
        } else if old.is_some() {
            found.add("the form's resources");
        }
        return;
    }
    for key in changed_keys(a, b) {
        match key {
            b"Fields" => {
                let old_fields = list(prev, a.get(key).ok());
                let new_fields = list(next, b.get(key).ok());
                if old_fields.iter().any(|f| !new_fields.contains(f)) {
                    found.add("a form field removed");
                }
                // A new field by reference is judged as its own object.
                let direct_non_sig = new_fields.iter().any(|f| {
                    !old_fields.contains(f)
                        && !matches!(f, Object::Reference(_))
                        && !dict(Some(f)).is_some_and(|d| is_sig_field(next, d))
                });
                if direct_non_sig {
                    found.add("a form field added");
                }
            }
            b"SigFlags" | b"DR" | b"DA" => {}
            other => found.add(format!("the form's /{}", key_name(other))),
        }
    }
}

/// The form's own dictionary, rather than one of its fields.
fn is_form_dict(d: &Dictionary) -> bool {
    d.has(b"Fields") || d.has(b"SigFlags")
}

fn list<'a>(doc: &'a Document, obj: Option<&'a Object>) -> Vec<Object> {
    match obj.map(|o| deref(doc, o)) {
        Some(Object::Array(items)) => items.clone(),
        _ => Vec::new(),
    }
}

/// An existing signature field may be signed (gain its value and appearance), once.
fn sig_field_changed(old: Option<&Object>, new: Option<&Object>, found: &mut Findings) {
    let (Some(a), Some(b)) = (dict(old), dict(new)) else {
        found.add("a signature field");
        return;
    };
    let was_signed = a.get(b"V").is_ok_and(|v| !matches!(v, Object::Null));
    let only_signing = changed_keys(a, b)
        .iter()
        .all(|k| matches!(*k, b"V" | b"AP" | b"F" | b"Lock" | b"SV"));
    if was_signed || !only_signing {
        found.add("a signature field changed");
    }
}

/// A page may gain annotations that are signature fields; what it draws, its resources and
/// its other annotations stay as they were.
fn page_object_changed(
    prev: &Document,
    next: &Document,
    page: u32,
    old: Option<&Object>,
    new: Option<&Object>,
    is_new: bool,
    found: &mut Findings,
) {
    let Some(b) = dict(new) else {
        // An array: the page's annotations, or its content streams.
        match (old, new) {
            (Some(Object::Array(a)), Some(Object::Array(b))) if is_annots(next, b) => {
                annots_changed(next, page, a, b, found);
            }
            _ => found.add(format!("page {page} content")),
        }
        return;
    };
    if name_is(b, b"Type", b"Page") {
        let empty = Dictionary::new();
        let a = dict(old).unwrap_or(&empty);
        for key in changed_keys(a, b) {
            match key {
                b"Annots" => annots_changed(
                    next,
                    page,
                    &list(prev, a.get(key).ok()),
                    &list(next, b.get(key).ok()),
                    found,
                ),
                b"Contents" => found.add(format!("page {page} content")),
                b"Resources" => resources_changed(
                    prev,
                    next,
                    page,
                    a.get(key).ok().map(|o| deref(prev, o)),
                    b.get(key).ok().map(|o| deref(next, o)),
                    found,
                ),
                other => found.add(format!("page {page} /{}", key_name(other))),
            }
        }
    } else if name_is(b, b"Type", b"Annot") || b.has(b"Subtype") && b.has(b"Rect") {
        let subtype = b
            .get(b"Subtype")
            .and_then(Object::as_name)
            .map(key_name)
            .unwrap_or_else(|_| "unknown".into());
        let verb = if is_new { "added" } else { "changed" };
        found.add(format!("an annotation ({subtype}) {verb} on page {page}"));
    } else if matches!(new, Some(Object::Stream(_))) {
        found.add(format!("page {page} content"));
    } else if !is_new {
        // A resource dictionary of the page (a new one is judged by what holds it).
        resources_changed(prev, next, page, old, new, found);
    }
}

fn is_annots(doc: &Document, items: &[Object]) -> bool {
    items.iter().any(|i| {
        dict(Some(deref(doc, i))).is_some_and(|d| name_is(d, b"Type", b"Annot") || d.has(b"Rect"))
    })
}

/// Annotations kept, and new ones signature fields (or judged as objects of their own).
fn annots_changed(next: &Document, page: u32, a: &[Object], b: &[Object], found: &mut Findings) {
    if a.iter().any(|x| !b.contains(x)) {
        found.add(format!("an annotation removed from page {page}"));
    }
    for added in b.iter().filter(|x| !a.contains(x)) {
        // A reference is judged as the object it names; a direct annotation here.
        if !matches!(added, Object::Reference(_))
            && !dict(Some(added)).is_some_and(|d| is_sig_field(next, d))
        {
            found.add(format!("an annotation added on page {page}"));
        }
    }
}

/// A resource dictionary may only gain names (what they name is judged on its own: a font
/// added, content drawn); a name that now means something else is a change.
fn resources_changed(
    prev: &Document,
    next: &Document,
    page: u32,
    old: Option<&Object>,
    new: Option<&Object>,
    found: &mut Findings,
) {
    let empty = Dictionary::new();
    let (a, b) = (dict(old).unwrap_or(&empty), dict(new).unwrap_or(&empty));
    for key in changed_keys(a, b) {
        let kept = match (a.get(key), b.get(key)) {
            (Err(_), Ok(_)) => true,
            (Ok(x), Ok(y)) => match (dict(Some(deref(prev, x))), dict(Some(deref(next, y)))) {
                (Some(x), Some(y)) => x.iter().all(|(k, v)| y.get(k).ok() == Some(v)),
                _ => false,
            },
            _ => false,
        };
        if !kept {
            found.add(format!("page {page} resources"));
        }
    }
}

/// Every attachment, by name, with a digest of its file and description.
fn attachments(doc: &Document) -> BTreeMap<String, [u8; 32]> {
    let mut out = BTreeMap::new();
    let Ok(catalog) = doc.catalog() else {
        return out;
    };
    let mut specs: Vec<&Object> = Vec::new();
    if let Some(names) = dict(get(doc, catalog, b"Names"))
        && let Some(tree) = get(doc, names, b"EmbeddedFiles")
    {
        name_tree(doc, tree, 0, &mut specs);
    }
    specs.extend(list_refs(doc, catalog.get(b"AF").ok()));
    for spec in specs {
        let Some(d) = dict(Some(deref(doc, spec))) else {
            continue;
        };
        let name = d
            .get(b"UF")
            .or_else(|_| d.get(b"F"))
            .ok()
            .and_then(|n| lopdf::decode_text_string(n).ok())
            .unwrap_or_else(|| "(unnamed)".into());
        let mut hash = Sha256::new();
        hash.update(format!("{d:?}"));
        if let Some(ef) = dict(get(doc, d, b"EF")) {
            for (_, file) in ef.iter() {
                if let Object::Stream(s) = deref(doc, file) {
                    hash.update(format!("{:?}", s.dict));
                    hash.update(&s.content);
                }
            }
        }
        out.insert(name, hash.finalize().into());
    }
    out
}

fn list_refs<'a>(doc: &'a Document, obj: Option<&'a Object>) -> Vec<&'a Object> {
    match obj.map(|o| deref(doc, o)) {
        Some(Object::Array(items)) => items.iter().collect(),
        _ => Vec::new(),
    }
}

/// The values of a name tree (`/Names [key value …]`, `/Kids`).
fn name_tree<'a>(doc: &'a Document, node: &'a Object, depth: usize, out: &mut Vec<&'a Object>) {
    if depth > MAX_DEPTH {
        return;
    }
    let Some(d) = dict(Some(deref(doc, node))) else {
        return;
    };
    if let Some(Object::Array(pairs)) = get(doc, d, b"Names") {
        out.extend(pairs.iter().skip(1).step_by(2));
    }
    if let Some(Object::Array(kids)) = get(doc, d, b"Kids") {
        for kid in kids {
            name_tree(doc, kid, depth + 1, out);
        }
    }
}
