"""What pyHanko's validation makes of every signature in a PDF against a trust root, one
line each:

    FIELD kind=signature valid=True intact=True trusted=True timestamp=valid page=5
    FIELD kind=doc-timestamp valid=True intact=True trusted=True

(`page` is the page of the signature's widget, from 1.)

or `FIELD error=…` when pyHanko refuses it. Revocation is not checked here (nothing is
fetched); the long-term levels are judged by `pyhanko sign adesverify` (pyhanko-cli).

    python3 pyhanko_levels.py FILE.pdf ROOT.pem
"""

import logging
import sys

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import (
    validate_pdf_signature,
    validate_pdf_timestamp,
)
from pyhanko_certvalidator import ValidationContext


def main():
    logging.disable(logging.CRITICAL)
    pdf, root = sys.argv[1], load_cert_from_pemder(sys.argv[2])
    with open(pdf, "rb") as f:
        reader = PdfFileReader(f, strict=False)
        count = int(reader.root["/Pages"]["/Count"])
        pages = [reader.find_page_for_modification(i)[0].idnum for i in range(count)]
        for sig in reader.embedded_signatures:
            name = sig.field_name
            try:
                vc = ValidationContext(
                    trust_roots=[root], allow_fetching=False, revocation_mode="soft-fail"
                )
                if sig.sig_object_type == "/DocTimeStamp":
                    status = validate_pdf_timestamp(sig, validation_context=vc)
                    print(f"{name} kind=doc-timestamp valid={status.valid} "
                          f"intact={status.intact} trusted={status.trusted}")
                    continue
                status = validate_pdf_signature(sig, vc, ts_validation_context=vc)
                ts = status.timestamp_validity
                ts_word = "none" if ts is None else (
                    "valid" if ts.valid and ts.intact and ts.trusted else "invalid")
                widget_page = sig.sig_field.raw_get("/P")
                page = pages.index(widget_page.idnum) + 1 if widget_page.idnum in pages else "?"
                print(f"{name} kind=signature valid={status.valid} intact={status.intact} "
                      f"trusted={status.trusted} timestamp={ts_word} page={page}")
            except Exception as e:
                print(f"{name} error={type(e).__name__}: {e}")


if __name__ == "__main__":
    main()
