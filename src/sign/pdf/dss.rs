//! The Document Security Store (ISO 32000-2 §12.8.4.3, PAdES-B-LT): certificates, OCSP
//! responses and CRLs kept in the PDF so that its signatures can be validated after the
//! certificates expire or the responders are gone. Reading the one in a file, and appending
//! an incremental update that writes it (the old entries kept, the new ones added).

use lopdf::{Dictionary, IncrementalDocument, Object, ObjectId, Stream};

use super::{Repair, Result, SignError, bad, guarded, load};

/// The most one DSS entry may hold once decompressed.
const MAX_ENTRY: usize = 16 << 20;
/// DSS entries read at most, per kind.
const MAX_ENTRIES: usize = 1000;

/// What a DSS holds, each entry as DER.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Dss {
    pub(crate) certs: Vec<Vec<u8>>,
    pub(crate) ocsps: Vec<Vec<u8>>,
    pub(crate) crls: Vec<Vec<u8>>,
}

/// The DSS of the newest revision (empty when there is none).
pub(crate) fn read(pdf: &[u8]) -> Result<Dss> {
    guarded(|| {
        let doc = load(pdf, Repair::Any)?;
        let Ok(catalog) = doc.catalog() else {
            return Ok(Dss::default());
        };
        let Some(dss) = catalog
            .get(b"DSS")
            .ok()
            .and_then(|d| doc.dereference(d).ok())
            .and_then(|(_, d)| d.as_dict().ok())
        else {
            return Ok(Dss::default());
        };
        let entries = |key: &[u8]| -> Vec<Vec<u8>> {
            let Some(Object::Array(items)) = dss
                .get(key)
                .ok()
                .and_then(|a| doc.dereference(a).ok())
                .map(|(_, a)| a)
            else {
                return Vec::new();
            };
            items
                .iter()
                .take(MAX_ENTRIES)
                .filter_map(|i| doc.dereference(i).ok())
                .filter_map(|(_, s)| s.as_stream().ok())
                .filter_map(|s| {
                    if s.dict.has(b"Filter") {
                        s.decompressed_content_with_limit(MAX_ENTRY).ok()
                    } else {
                        Some(s.content.clone())
                    }
                })
                .collect()
        };
        Ok(Dss {
            certs: entries(b"Certs"),
            ocsps: entries(b"OCSPs"),
            crls: entries(b"CRLs"),
        })
    })
}

/// Appends to `pdf` an update whose DSS holds what it held and `add` (without repeats).
pub(crate) fn append(pdf: &[u8], add: &Dss, new_id: [u8; 16]) -> Result<Vec<u8>> {
    let old = read(pdf)?;
    guarded(|| {
        let doc = load(pdf, Repair::XrefIntact)?;
        let root = doc
            .trailer
            .get(b"Root")
            .and_then(Object::as_reference)
            .map_err(|_| bad("the trailer has no /Root"))?;
        let mut catalog = doc
            .get_dictionary(root)
            .map_err(|_| bad("the catalog is not a dictionary"))?
            .clone();
        let mut next = super::update::next_object_number(&doc);
        let mut objects: Vec<(ObjectId, Object)> = Vec::new();
        let mut dss = Dictionary::new();
        for (key, before, more) in [
            ("Certs", &old.certs, &add.certs),
            ("OCSPs", &old.ocsps, &add.ocsps),
            ("CRLs", &old.crls, &add.crls),
        ] {
            let mut all: Vec<&Vec<u8>> = Vec::new();
            for item in before.iter().chain(more.iter()) {
                if !all.contains(&item) {
                    all.push(item);
                }
            }
            if all.is_empty() {
                continue;
            }
            let mut refs = Vec::new();
            for item in all {
                let id = (next, 0);
                next = next.checked_add(1).ok_or_else(|| bad("too many objects"))?;
                objects.push((
                    id,
                    Object::Stream(Stream::new(Dictionary::new(), item.clone())),
                ));
                refs.push(Object::Reference(id));
            }
            dss.set(key, Object::Array(refs));
        }
        let dss_id = (next, 0);
        objects.push((dss_id, Object::Dictionary(dss)));
        catalog.set("DSS", Object::Reference(dss_id));
        let trailer = super::update::update_trailer(&doc, root, &new_id)?;
        let mut inc = IncrementalDocument::create_from(pdf.to_vec(), doc);
        inc.new_document
            .set_object(root, Object::Dictionary(catalog));
        for (id, obj) in objects {
            inc.new_document.set_object(id, obj);
        }
        inc.new_document.max_id = dss_id.0;
        inc.new_document.trailer = trailer;
        let mut bytes = Vec::with_capacity(pdf.len() + 16 * 1024);
        inc.save_to(&mut bytes)
            .map_err(|e| SignError::Internal(format!("writing the validation data failed: {e}")))?;
        if !bytes.starts_with(pdf) || u32::try_from(bytes.len()).is_err() {
            return Err(SignError::Internal(
                "the validation data update did not keep the signed bytes".into(),
            ));
        }
        Ok(bytes)
    })
}
