//! Writing the incremental update with lopdf's [`IncrementalDocument`]: the
//! rewritten Catalog/AcroForm and page (or its /Annots array), the signature
//! dictionary with fixed-size placeholders, and the invisible widget. lopdf appends
//! them after the untouched original bytes, with a cross-reference section of the
//! same kind as the newest one in the file (table or stream) and `/Prev` set.
//!
//! The only hand-written part is the placeholders: lopdf serialises the signature
//! dictionary, [`lopdf::Writer::write_object`] gives the very same bytes, and they
//! are located in the output and then patched in place.

use std::collections::HashSet;

use lopdf::{Dictionary, Document, IncrementalDocument, Object, ObjectId, StringFormat, Writer};

use super::{Repair, Result, SignError, bad, find, guarded, load};

/// What the new signature field holds.
pub(crate) enum SigKind<'a> {
    /// A signature (`/SubFilter /ETSI.CAdES.detached`).
    Signature {
        /// `D:YYYYMMDDHHmmSS+00'00'`.
        pdf_date: String,
        reason: Option<&'a str>,
    },
    /// A document timestamp (`/Type /DocTimeStamp`, `/SubFilter /ETSI.RFC3161`).
    DocTimestamp,
}

/// What goes into the signature dictionary besides the CMS, and where its field goes.
pub(crate) struct SigPlan<'a> {
    pub(crate) kind: SigKind<'a>,
    /// The field's name; a free `Signature<n>` when `None`, ` 2`, ` 3`… added when taken.
    pub(crate) field: Option<&'a str>,
    /// The widget goes on the last page whose text shows one of these, else the first page.
    pub(crate) look_for: &'a [String],
    /// Bytes reserved for the DER CMS (the hex placeholder is twice as long).
    pub(crate) contents_len: usize,
    /// Second element of the new trailer /ID.
    pub(crate) new_id: [u8; 16],
}

/// The original file plus the update, with the ByteRange and Contents still placeholders.
pub(crate) struct Prepared {
    pub(crate) bytes: Vec<u8>,
    /// Offset of the fixed-width ByteRange array.
    byte_range_at: usize,
    /// Offset of the `<` opening the Contents hex string.
    contents_start: usize,
    /// Offset just after the closing `>`.
    contents_end: usize,
}

/// Placeholder for each of the three computed ByteRange numbers: ten digits, as many as
/// the largest offset lopdf can write (its cross-reference offsets are `u32`).
const BYTE_RANGE_PLACEHOLDER: i64 = 9_999_999_999;
/// `[0 9999999999 9999999999 9999999999]` as lopdf writes it.
const BYTE_RANGE_WIDTH: usize = 2 + 3 * 11 + 1;

impl Prepared {
    /// Writes the ByteRange (padded with spaces to the placeholder's width) and returns
    /// the two byte slices it covers.
    pub(crate) fn fix_byte_range(&mut self) -> Result<[std::ops::Range<usize>; 2]> {
        let len = self.bytes.len();
        let field = format!(
            "[0 {} {} {}]",
            self.contents_start,
            self.contents_end,
            len - self.contents_end
        );
        if field.len() > BYTE_RANGE_WIDTH {
            return Err(bad("file too large to sign"));
        }
        let slot = &mut self.bytes[self.byte_range_at..self.byte_range_at + BYTE_RANGE_WIDTH];
        slot.fill(b' ');
        slot[..field.len()].copy_from_slice(field.as_bytes());
        Ok([0..self.contents_start, self.contents_end..len])
    }

    /// Puts the DER CMS into the Contents placeholder (zero-padded) and returns the file.
    pub(crate) fn finish(mut self, cms: &[u8]) -> Result<Vec<u8>> {
        let room = (self.contents_end - self.contents_start - 2) / 2;
        if cms.len() > room {
            return Err(SignError::Internal(format!(
                "the signature ({} bytes) does not fit the space reserved for it ({room} bytes)",
                cms.len()
            )));
        }
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        let at = self.contents_start + 1;
        for (i, b) in cms.iter().enumerate() {
            self.bytes[at + 2 * i] = HEX[usize::from(b >> 4)];
            self.bytes[at + 2 * i + 1] = HEX[usize::from(b & 0x0f)];
        }
        Ok(self.bytes)
    }
}

/// Appends to `pdf` a new revision holding an empty signature field on the first page.
pub(crate) fn prepare(pdf: &[u8], plan: &SigPlan<'_>) -> Result<Prepared> {
    guarded(|| {
        let doc = load(pdf, Repair::XrefIntact)?;
        if doc.xref_start == 0 {
            return Err(bad("no usable 'startxref'"));
        }
        let root = doc
            .trailer
            .get(b"Root")
            .and_then(Object::as_reference)
            .map_err(|_| bad("the trailer has no /Root"))?;
        let catalog = doc
            .get_dictionary(root)
            .map_err(|_| bad("the catalog is not a dictionary"))?;
        if certified_no_changes(&doc, catalog) {
            return Err(SignError::CertifiedNoChanges);
        }
        let page_id = page_for(&doc, plan.look_for)?;
        let sig_num = next_object_number(&doc);
        if sig_num > u32::MAX - 3 {
            return Err(bad("too many objects"));
        }
        let sig_id = (sig_num, 0);
        let widget_id = (sig_num + 1, 0);
        let widget_ref = Object::Reference(widget_id);

        // What the new revision rewrites, read from the old one.
        let acro_ref = catalog.get(b"AcroForm").and_then(Object::as_reference).ok();
        let mut acro = match catalog.get(b"AcroForm") {
            Ok(Object::Reference(id)) => doc
                .get_dictionary(*id)
                .map_err(|_| bad("the form (AcroForm) is not a dictionary"))?
                .clone(),
            Ok(Object::Dictionary(d)) => d.clone(),
            _ => Dictionary::new(),
        };
        let mut fields = match acro.get(b"Fields").map(|f| doc.dereference(f)) {
            Ok(Ok((_, Object::Array(a)))) => a.clone(),
            _ => Vec::new(),
        };
        let taken: HashSet<&[u8]> = fields
            .iter()
            .filter_map(|f| doc.dereference(f).ok())
            .filter_map(|(_, f)| f.as_dict().ok()?.get(b"T").ok()?.as_str().ok())
            .collect();
        let field_name = match plan.field {
            Some(base) => std::iter::once(base.to_string())
                .chain((2..).map(|i| format!("{base} {i}")))
                .find(|n| !taken.contains(n.as_bytes()))
                .unwrap_or_else(|| base.into()),
            None => (1..)
                .map(|i| format!("Signature{i}"))
                .find(|n| !taken.contains(n.as_bytes()))
                .unwrap_or_else(|| "Signature".into()),
        };
        fields.push(widget_ref.clone());
        acro.set("Fields", Object::Array(fields));
        let flags = acro.get(b"SigFlags").and_then(Object::as_i64).unwrap_or(0) | 3;
        acro.set("SigFlags", flags);

        let page = doc
            .get_dictionary(page_id)
            .map_err(|_| bad("the first page is not a dictionary"))?;
        let annots_ref = page.get(b"Annots").and_then(Object::as_reference).ok();
        let mut annots = match page.get(b"Annots").map(|a| doc.dereference(a)) {
            Ok(Ok((_, Object::Array(a)))) => a.clone(),
            _ => Vec::new(),
        };
        annots.push(widget_ref);

        // The two objects rewritten in the new revision: (id, new value).
        let form_update: (ObjectId, Object) = match acro_ref {
            Some(id) => (id, Object::Dictionary(acro)),
            None => {
                let mut catalog = catalog.clone();
                catalog.set("AcroForm", Object::Dictionary(acro));
                (root, Object::Dictionary(catalog))
            }
        };
        let page_update: (ObjectId, Object) = match annots_ref {
            Some(id) => (id, Object::Array(annots)),
            None => {
                let mut page = page.clone();
                page.set("Annots", Object::Array(annots));
                (page_id, Object::Dictionary(page))
            }
        };
        if form_update.0 == page_update.0 {
            return Err(bad(
                "the catalog, form and page share objects in an unexpected way",
            ));
        }

        // The signature dictionary, in the order its placeholders are searched for below.
        let mut sig = Dictionary::new();
        match plan.kind {
            SigKind::Signature { .. } => {
                sig.set("Type", "Sig");
                sig.set("Filter", "Adobe.PPKLite");
                sig.set("SubFilter", "ETSI.CAdES.detached");
            }
            SigKind::DocTimestamp => {
                sig.set("Type", "DocTimeStamp");
                sig.set("Filter", "Adobe.PPKLite");
                sig.set("SubFilter", "ETSI.RFC3161");
            }
        }
        sig.set(
            "ByteRange",
            Object::Array(vec![
                0.into(),
                BYTE_RANGE_PLACEHOLDER.into(),
                BYTE_RANGE_PLACEHOLDER.into(),
                BYTE_RANGE_PLACEHOLDER.into(),
            ]),
        );
        sig.set(
            "Contents",
            Object::String(vec![0; plan.contents_len], StringFormat::Hexadecimal),
        );
        if let SigKind::Signature { pdf_date, reason } = &plan.kind {
            sig.set("M", Object::string_literal(pdf_date.as_str()));
            if let Some(reason) = reason {
                sig.set("Reason", lopdf::text_string(reason));
            }
        }
        let sig = Object::Dictionary(sig);

        // Invisible widget = the signature field (merged field and annotation).
        let mut widget = Dictionary::new();
        widget.set("Type", "Annot");
        widget.set("Subtype", "Widget");
        widget.set("FT", "Sig");
        widget.set("T", lopdf::text_string(&field_name));
        widget.set("V", Object::Reference(sig_id));
        widget.set("F", 132);
        widget.set(
            "Rect",
            Object::Array(vec![0.into(), 0.into(), 0.into(), 0.into()]),
        );
        widget.set("P", Object::Reference(page_id));

        let trailer = update_trailer(&doc, root, &plan.new_id)?;

        let mut sig_bytes = Vec::new();
        Writer::write_object(&mut sig_bytes, &sig).map_err(internal)?;

        let mut inc = IncrementalDocument::create_from(pdf.to_vec(), doc);
        inc.new_document.set_object(form_update.0, form_update.1);
        inc.new_document.set_object(page_update.0, page_update.1);
        inc.new_document.set_object(sig_id, sig);
        inc.new_document.set_object(widget_id, widget);
        inc.new_document.max_id = widget_id.0;
        inc.new_document.trailer = trailer;
        let mut bytes = Vec::with_capacity(pdf.len() + sig_bytes.len() + 4096);
        inc.save_to(&mut bytes).map_err(internal)?;
        // lopdf writes cross-reference offsets as u32.
        if u32::try_from(bytes.len()).is_err() {
            return Err(bad("file too large to sign"));
        }
        if !bytes.starts_with(pdf) {
            return Err(SignError::Internal(
                "the update did not keep the original bytes".into(),
            ));
        }
        locate(bytes, pdf.len(), &sig_bytes, plan.contents_len)
    })
}

/// Pages whose text is read to place a widget, at most (from the last one back).
const MAX_PAGES_READ: usize = 200;

/// The last page whose text shows one of `look_for` (white space ignored), else the first.
fn page_for(doc: &Document, look_for: &[String]) -> Result<ObjectId> {
    let pages = doc.get_pages();
    let first = *pages
        .values()
        .next()
        .ok_or_else(|| bad("the document has no pages"))?;
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let wanted: Vec<String> = look_for
        .iter()
        .map(|s| squeeze(s))
        .filter(|s| !s.is_empty())
        .collect();
    if wanted.is_empty() {
        return Ok(first);
    }
    for (number, id) in pages.iter().rev().take(MAX_PAGES_READ) {
        let Ok(text) = doc.extract_text(&[*number]) else {
            continue;
        };
        let text = squeeze(&text);
        if wanted.iter().any(|w| text.contains(w.as_str())) {
            return Ok(*id);
        }
    }
    Ok(first)
}

/// The first object number an incremental update of `doc` may use: past the trailer's /Size
/// and every object the file holds.
pub(crate) fn next_object_number(doc: &Document) -> u32 {
    let size = (doc.trailer.get(b"Size").and_then(Object::as_i64).ok())
        .and_then(|s| u32::try_from(s).ok())
        .unwrap_or(0);
    size.max(doc.max_id.saturating_add(1))
}

/// The trailer of an incremental update: the same /Root and /Info, the first /ID kept and
/// `new_id` second, /Prev to the newest section (lopdf adds /Size, and the stream entries when
/// the update is an xref stream).
pub(crate) fn update_trailer(doc: &Document, root: ObjectId, new_id: &[u8]) -> Result<Dictionary> {
    let mut trailer = Dictionary::new();
    trailer.set("Root", Object::Reference(root));
    if let Ok(info @ Object::Reference(_)) = doc.trailer.get(b"Info") {
        trailer.set("Info", info.clone());
    }
    let first_id = match doc.trailer.get(b"ID") {
        Ok(Object::Array(a)) => match a.first() {
            Some(Object::String(s, _)) => s.clone(),
            _ => new_id.to_vec(),
        },
        _ => new_id.to_vec(),
    };
    trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(first_id, StringFormat::Hexadecimal),
            Object::String(new_id.to_vec(), StringFormat::Hexadecimal),
        ]),
    );
    let prev = i64::try_from(doc.xref_start).map_err(|_| bad("bad startxref"))?;
    trailer.set("Prev", prev);
    Ok(trailer)
}

fn internal(e: impl std::fmt::Display) -> SignError {
    SignError::Internal(format!("writing the update failed: {e}"))
}

/// Finds the signature dictionary (serialised by lopdf as `sig_bytes`) in the appended
/// part of `bytes` and the placeholders inside it.
fn locate(
    bytes: Vec<u8>,
    original_len: usize,
    sig_bytes: &[u8],
    contents_len: usize,
) -> Result<Prepared> {
    let lost = || SignError::Internal("the signature placeholders were not found".into());
    let at = find(&bytes, sig_bytes, original_len).ok_or_else(lost)?;
    if find(&bytes, sig_bytes, at + 1).is_some() {
        return Err(lost());
    }
    // The keys before /ByteRange are fixed names, so these first matches are the entries.
    let br = find(sig_bytes, b"/ByteRange[", 0).ok_or_else(lost)? + b"/ByteRange".len();
    let contents = find(sig_bytes, b"/Contents<", br).ok_or_else(lost)? + b"/Contents".len();
    if contents != br + BYTE_RANGE_WIDTH + b"/Contents".len() {
        return Err(lost());
    }
    let contents_end = find(sig_bytes, b">", contents).ok_or_else(lost)? + 1;
    if contents_end - contents != 2 * contents_len + 2 {
        return Err(lost());
    }
    Ok(Prepared {
        bytes,
        byte_range_at: at + br,
        contents_start: at + contents,
        contents_end: at + contents_end,
    })
}

/// Whether a certification signature (DocMDP) forbids any change (`/P 1`).
fn certified_no_changes(doc: &Document, catalog: &Dictionary) -> bool {
    fn dict<'a>(doc: &'a Document, obj: lopdf::Result<&'a Object>) -> Option<&'a Dictionary> {
        obj.and_then(|o| doc.dereference(o))
            .and_then(|(_, o)| o.as_dict())
            .ok()
    }
    let Some(perms) = dict(doc, catalog.get(b"Perms")) else {
        return false;
    };
    let Some(sig) = dict(doc, perms.get(b"DocMDP")) else {
        return false;
    };
    let Ok((_, Object::Array(refs))) = sig.get(b"Reference").and_then(|r| doc.dereference(r))
    else {
        return false;
    };
    for r in refs {
        if let Some(r) = dict(doc, Ok(r))
            && r.get(b"TransformMethod")
                .and_then(Object::as_name)
                .is_ok_and(|m| m == b"DocMDP")
            && let Some(params) = dict(doc, r.get(b"TransformParams"))
        {
            return params.get(b"P").and_then(Object::as_i64).ok() == Some(1);
        }
    }
    false
}
