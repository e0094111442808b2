//! Who owns each object of a PDF: the first thing that reaches it from the catalog (a page,
//! the form, a signature field or value, a font, the attachments, the validation data, the
//! metadata). What an update may change depends on it ([`super::changes`]).

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::MAX_DEPTH;

/// Who owns an object: the first thing that reaches it from the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Owner {
    Catalog,
    /// Anything under a catalog entry not named below (`/Pages` tree, `/Outlines`, …).
    CatalogEntry(String),
    Page(u32),
    Font(u32),
    Form,
    SigField,
    SigValue,
    Attachments,
    ValidationData,
    Metadata,
    Info,
}

pub(super) fn root(doc: &Document) -> Option<ObjectId> {
    doc.trailer.get(b"Root").and_then(Object::as_reference).ok()
}

pub(super) fn dict(obj: Option<&Object>) -> Option<&Dictionary> {
    match obj? {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

pub(super) fn name_is(d: &Dictionary, key: &[u8], value: &[u8]) -> bool {
    d.get(key)
        .and_then(Object::as_name)
        .is_ok_and(|n| n == value)
}

pub(super) fn type_is(obj: Option<&Object>, value: &[u8]) -> bool {
    dict(obj).is_some_and(|d| name_is(d, b"Type", value))
}

pub(super) fn deref<'a>(doc: &'a Document, obj: &'a Object) -> &'a Object {
    doc.dereference(obj).map_or(obj, |(_, o)| o)
}

pub(super) fn get<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    d.get(key).ok().map(|o| deref(doc, o))
}

/// A signature field: `/FT /Sig`, or a widget whose parent field is one.
pub(super) fn is_sig_field(doc: &Document, d: &Dictionary) -> bool {
    name_is(d, b"FT", b"Sig")
        || (name_is(d, b"Subtype", b"Widget")
            && dict(get(doc, d, b"Parent")).is_some_and(|p| name_is(p, b"FT", b"Sig")))
}

/// Owner of every object the document reaches from its catalog and its `/Info`. Pages are
/// walked first, so what a page draws is the page's, whatever else refers to it.
pub(super) fn owners(doc: &Document) -> HashMap<ObjectId, Owner> {
    let mut map = HashMap::new();
    let Some(root) = root(doc) else { return map };
    map.insert(root, Owner::Catalog);
    for (n, id) in doc.get_pages() {
        claim(doc, &Object::Reference(id), &Owner::Page(n), 0, &mut map);
    }
    if let Ok(catalog) = doc.get_dictionary(root) {
        for (key, value) in catalog.iter() {
            let owner = match key.as_slice() {
                b"AcroForm" => Owner::Form,
                b"DSS" => Owner::ValidationData,
                b"Metadata" => Owner::Metadata,
                b"Names" | b"AF" => Owner::Attachments,
                other => Owner::CatalogEntry(String::from_utf8_lossy(other).into_owned()),
            };
            claim(doc, value, &owner, 0, &mut map);
        }
    }
    if let Ok(info) = doc.trailer.get(b"Info") {
        claim(doc, info, &Owner::Info, 0, &mut map);
    }
    map
}

/// Claims `obj` and everything it reaches for `owner` (or for a signature field, value or
/// font found on the way), except what is claimed already and the links back up a tree.
fn claim(
    doc: &Document,
    obj: &Object,
    owner: &Owner,
    depth: usize,
    map: &mut HashMap<ObjectId, Owner>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let (obj, owner) = match obj {
        Object::Reference(id) => {
            if map.contains_key(id) {
                return;
            }
            let Ok(target) = doc.get_object(*id) else {
                return;
            };
            let owner = own(doc, target, owner);
            map.insert(*id, owner.clone());
            (target, owner)
        }
        _ => (obj, owner.clone()),
    };
    match obj {
        Object::Array(items) => {
            for item in items {
                claim(doc, item, &owner, depth + 1, map);
            }
        }
        Object::Dictionary(_) | Object::Stream(_) => {
            let Some(d) = dict(Some(obj)) else { return };
            for (key, value) in d.iter() {
                if !matches!(key.as_slice(), b"Parent" | b"P" | b"Pg" | b"Prev") {
                    claim(doc, value, &owner, depth + 1, map);
                }
            }
        }
        _ => {}
    }
}

/// The owner an object takes for itself, whoever reaches it.
fn own(doc: &Document, obj: &Object, reached_by: &Owner) -> Owner {
    let Some(d) = dict(Some(obj)) else {
        return reached_by.clone();
    };
    if name_is(d, b"Type", b"Sig") || name_is(d, b"Type", b"DocTimeStamp") {
        return Owner::SigValue;
    }
    if is_sig_field(doc, d) {
        return Owner::SigField;
    }
    // What a signature field reaches (its appearance) is the field's, and what a font
    // reaches (its program, widths) the font's.
    match reached_by {
        Owner::Page(n) if name_is(d, b"Type", b"Font") => Owner::Font(*n),
        _ => reached_by.clone(),
    }
}

pub(super) fn describe_owner(owner: &Owner) -> String {
    match owner {
        Owner::Catalog => "the document catalog".into(),
        Owner::CatalogEntry(key) => format!("an object of the document's /{key}"),
        Owner::Page(n) => format!("an object of page {n}"),
        Owner::Font(n) => format!("a font on page {n}"),
        Owner::Form => "a form object".into(),
        Owner::SigField => "a signature field".into(),
        Owner::SigValue => "a signature value".into(),
        Owner::Attachments => "an attachment".into(),
        Owner::ValidationData => "validation data".into(),
        Owner::Metadata => "the XMP metadata".into(),
        Owner::Info => "the document information".into(),
    }
}
