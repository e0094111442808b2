"""Change a signed PDF after signing, the way another PDF library would: every case but the
cut and the junk is an ordinary incremental update written by pyHanko's
IncrementalPdfFileWriter, never by pactum's own writer.

    python3 tamper.py CASE IN.pdf OUT.pdf [ARG]

CASE is one of:
  text         visible words "AMENDED AFTER SIGNING" drawn on page 1 (a new content stream
               and a new font)
  annotation   a FreeText annotation added on page 1
  attachment   the record attachment (pactum.json) replaced by other bytes
  terms        the terms attachment replaced by the file ARG
  truncate     the file cut in the middle of its last update
  junk         bytes appended after the last %%EOF
  dss          not a change: validation data (a DSS with a VRI entry for the newest
               signature, holding its certificates), as pyHanko adds it
  timestamp    not a change: a document timestamp over everything (PAdES-B-LTA's last
               step), from pyHanko's local test authority with k2.pem and c2.pem in ARG
  countersign  not a change: one more signature, by pyHanko, with k2.pem and c2.pem in the
               folder ARG (a further signature is what PAdES allows after signing)
"""

import io
import sys

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.content import RawContent
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import BoxConstraints

N = generic.NameObject


def writer(data):
    return IncrementalPdfFileWriter(io.BytesIO(data), strict=False)


def finish(w):
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def text(data):
    w = writer(data)
    font = generic.DictionaryObject(
        {N("/Type"): N("/Font"), N("/Subtype"): N("/Type1"), N("/BaseFont"): N("/Helvetica")}
    )
    resources = generic.DictionaryObject(
        {N("/Font"): generic.DictionaryObject({N("/FAmend"): w.add_object(font)})}
    )
    content = RawContent(
        b"BT /FAmend 18 Tf 60 60 Td (AMENDED AFTER SIGNING) Tj ET",
        resources=None,
        box=BoxConstraints(width=595, height=842),
    )
    stream = generic.StreamObject(stream_data=content.render())
    w.add_stream_to_page(0, w.add_object(stream), resources=resources)
    return finish(w)


def annotation(data):
    w = writer(data)
    page_ref, _ = w.find_page_for_modification(0)
    page = page_ref.get_object()
    annot = generic.DictionaryObject(
        {
            N("/Type"): N("/Annot"),
            N("/Subtype"): N("/FreeText"),
            N("/Rect"): generic.ArrayObject(map(generic.NumberObject, [60, 60, 400, 90])),
            N("/Contents"): generic.TextStringObject("AMENDED AFTER SIGNING"),
            N("/DA"): generic.pdf_string("/Helv 12 Tf 0 g"),
            N("/P"): page_ref,
        }
    )
    annots = page.get("/Annots")
    annots = generic.ArrayObject(list(annots.get_object()) if annots is not None else [])
    annots.append(w.add_object(annot))
    page[N("/Annots")] = annots
    w.update_container(page)
    return finish(w)


def embedded_files(w):
    names = w.root["/Names"]["/EmbeddedFiles"]["/Names"]
    return {str(names[i]): names.raw_get(i + 1) for i in range(0, len(names), 2)}


def replace_attachment(data, name, new_bytes):
    w = writer(data)
    files = embedded_files(w)
    spec_ref = files[name]
    spec = spec_ref.get_object()
    old = spec["/EF"]["/F"].get_object()
    stream = generic.StreamObject(
        {N("/Type"): N("/EmbeddedFile"), N("/Subtype"): old.get("/Subtype", N("/text#2Fplain"))},
        stream_data=new_bytes,
    )
    ref = w.add_object(stream)
    ef = generic.DictionaryObject({N("/F"): ref})
    if "/UF" in spec["/EF"]:
        ef[N("/UF")] = ref
    spec[N("/EF")] = ef
    w.mark_update(spec_ref)
    return finish(w)


def attachment(data):
    return replace_attachment(data, "pactum.json", b'{"format": 1, "forged": true}\n')


def terms(data, path):
    w = writer(data)
    name = next(n for n in embedded_files(w) if n != "pactum.json")
    with open(path, "rb") as f:
        return replace_attachment(data, name, f.read())


def truncate(data):
    last = data.rstrip().rfind(b"%%EOF")
    previous = data.rfind(b"%%EOF", 0, last)
    return data[: (previous + last) // 2]


def junk(data):
    return data + b"\nthis was appended after signing\n"


def dss(data):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    sig = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures[-1]
    certs = [c.chosen for c in sig.signed_data["certificates"]]
    out = io.BytesIO(data)
    DocumentSecurityStore.add_dss(out, sig.pkcs7_content, certs=certs, force_write=True)
    return out.getvalue()


def timestamp(data, folder):
    from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder
    from pyhanko.sign.signers.pdf_signer import PdfTimeStamper
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    key = load_private_key_from_pemder(f"{folder}/k2.pem", None)
    tsa = DummyTimeStamper(tsa_cert=load_cert_from_pemder(f"{folder}/c2.pem"), tsa_key=key)
    out = io.BytesIO()
    PdfTimeStamper(tsa).timestamp_pdf(writer(data), "sha256", output=out)
    return out.getvalue()


def countersign(data, folder):
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load(f"{folder}/k2.pem", f"{folder}/c2.pem")
    out = io.BytesIO()
    meta = signers.PdfSignatureMetadata(field_name="Countersignature")
    signers.sign_pdf(writer(data), meta, signer=signer, output=out)
    return out.getvalue()


def main():
    case, src, dst = sys.argv[1:4]
    with open(src, "rb") as f:
        data = f.read()
    if case in ("terms", "countersign", "timestamp"):
        out = globals()[case](data, sys.argv[4])
    else:
        out = globals()[case](data)
    with open(dst, "wb") as f:
        f.write(out)


if __name__ == "__main__":
    main()
