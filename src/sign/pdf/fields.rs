//! Finding the signatures already in a PDF: signature fields reachable from the
//! AcroForm (through /Kids), their values, and the sanity of their /ByteRange.
//! lopdf reads the objects; the walk over the field tree is ours.

use std::collections::HashSet;

use lopdf::{Document, Object, decode_text_string};

use super::{MAX_DEPTH, Repair, Result, guarded, load};

/// A signature field's value as found in the newest revision.
pub(crate) struct FoundSignature {
    pub(crate) field_name: String,
    pub(crate) byte_range: Vec<i64>,
    pub(crate) contents: Vec<u8>,
    pub(crate) pdf_date: Option<String>,
}

/// All signed signature fields reachable from the AcroForm of `pdf`.
pub(crate) fn signatures(pdf: &[u8]) -> Result<Vec<FoundSignature>> {
    guarded(|| {
        let doc = load(pdf, Repair::Any)?;
        let mut found = Vec::new();
        let Ok(catalog) = doc.catalog() else {
            return Ok(found);
        };
        let Some(acro) = deref(&doc, catalog.get(b"AcroForm").ok()).and_then(|a| a.as_dict().ok())
        else {
            return Ok(found);
        };
        let mut seen = HashSet::new();
        if let Some(Object::Array(fields)) = deref(&doc, acro.get(b"Fields").ok()) {
            for f in fields {
                walk_field(&doc, f, "", false, 0, &mut seen, &mut found);
            }
        }
        Ok(found)
    })
}

/// `obj` with references followed (None for a dangling reference).
fn deref<'a>(doc: &'a Document, obj: Option<&'a Object>) -> Option<&'a Object> {
    doc.dereference(obj?).ok().map(|(_, o)| o)
}

fn text(obj: &Object) -> String {
    decode_text_string(obj)
        .unwrap_or_else(|_| String::from_utf8_lossy(obj.as_str().unwrap_or_default()).into_owned())
}

fn walk_field(
    doc: &Document,
    field: &Object,
    parent_name: &str,
    parent_is_sig: bool,
    depth: usize,
    seen: &mut HashSet<lopdf::ObjectId>,
    found: &mut Vec<FoundSignature>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    if let Ok(id) = field.as_reference()
        && !seen.insert(id)
    {
        return;
    }
    let Some(d) = deref(doc, Some(field)).and_then(|f| f.as_dict().ok()) else {
        return;
    };
    let is_sig = match d.get(b"FT") {
        Ok(ft) => ft.as_name().is_ok_and(|n| n == b"Sig"),
        Err(_) => parent_is_sig,
    };
    let name = match d.get(b"T") {
        Ok(t @ Object::String(..)) if parent_name.is_empty() => text(t),
        Ok(t @ Object::String(..)) => format!("{parent_name}.{}", text(t)),
        _ => parent_name.to_string(),
    };
    if let Some(Object::Array(kids)) = deref(doc, d.get(b"Kids").ok()) {
        for k in kids {
            walk_field(doc, k, &name, is_sig, depth + 1, seen, found);
        }
    }
    if !is_sig {
        return;
    }
    let sig = match d.get(b"V") {
        Err(_) | Ok(Object::Null) => return, // an empty (unsigned) field
        Ok(v) => deref(doc, Some(v)).and_then(|v| v.as_dict().ok()),
    };
    let Some(sig) = sig else {
        // Signed, but the signature dictionary does not read (lopdf drops an object it
        // cannot parse): report it as a signature that does not check out.
        found.push(FoundSignature {
            field_name: name,
            byte_range: Vec::new(),
            contents: Vec::new(),
            pdf_date: None,
        });
        return;
    };
    let byte_range = match deref(doc, sig.get(b"ByteRange").ok()) {
        Some(Object::Array(a)) => a.iter().map(|x| x.as_i64().unwrap_or(-1)).collect(),
        _ => Vec::new(),
    };
    let contents = match sig.get(b"Contents") {
        Ok(Object::String(s, _)) => s.clone(),
        _ => Vec::new(),
    };
    let pdf_date = match sig.get(b"M") {
        Ok(m @ Object::String(..)) => Some(text(m)),
        _ => None,
    };
    found.push(FoundSignature {
        field_name: name,
        byte_range,
        contents,
        pdf_date,
    });
}

/// Checks that a ByteRange is `[0 a b c]` with the gap exactly one hex string,
/// and returns the two covered ranges.
pub(crate) fn check_byte_range(pdf: &[u8], br: &[i64]) -> Option<[std::ops::Range<usize>; 2]> {
    let [0, a, b, c] = br else { return None };
    let (a, b, c) = (
        usize::try_from(*a).ok()?,
        usize::try_from(*b).ok()?,
        usize::try_from(*c).ok()?,
    );
    if a >= b || b.checked_add(c)? > pdf.len() {
        return None;
    }
    let gap = &pdf[a..b];
    let ok = gap.len() >= 2
        && gap[0] == b'<'
        && gap[gap.len() - 1] == b'>'
        && gap[1..gap.len() - 1].iter().all(|c| c.is_ascii_hexdigit());
    ok.then(|| [0..a, b..b + c])
}
