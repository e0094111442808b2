"""What pyHanko makes of every signature in a PDF, one line each:

    FIELD intact=True coverage=ENTIRE_FILE modifications=NONE

or `FIELD error=…` when pyHanko cannot judge it.
`coverage` is pyHanko's SignatureCoverageLevel and `modifications` its ModificationLevel
(NONE, LTA_UPDATES, FORM_FILLING, ANNOTATIONS, OTHER) for the revisions after the signature.
Trust in the signer's certificate is not judged (the test identities are self-signed).

    python3 pyhanko_check.py FILE.pdf
"""

import logging
import sys

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp


def main():
    # pyHanko logs every untrusted certificate at length: the test identities are self-signed.
    logging.disable(logging.CRITICAL)
    with open(sys.argv[1], "rb") as f:
        try:
            reader = PdfFileReader(f, strict=False)
            signatures = reader.embedded_signatures
        except Exception as e:  # a file pyHanko cannot read at all
            print(f"unreadable error={type(e).__name__}: {e}")
            return
        for sig in signatures:
            try:
                if sig.sig_object_type == "/DocTimeStamp":
                    status = validate_pdf_timestamp(sig)
                else:
                    status = validate_pdf_signature(sig)
            except Exception as e:
                print(f"{sig.field_name} error={type(e).__name__}: {e}")
                continue
            level = getattr(status, "modification_level", None)
            print(
                f"{sig.field_name} intact={status.intact} coverage={status.coverage.name} "
                f"modifications={level.name if level is not None else 'UNKNOWN'}"
            )


if __name__ == "__main__":
    main()
