#!/usr/bin/env python3
"""python-docx, an independent reader of pactum's DOCX files.

    docx_read.py text FILE.docx            every paragraph's text (content controls included),
                                           tracked insertions kept and deletions dropped
    docx_read.py comment IN OUT TEXT NOTE  a comment on the first run holding TEXT
    docx_read.py make OUT TEXT             a DOCX of one paragraph that pactum did not make
"""
import sys

import docx
from docx.oxml.ns import qn


def paragraphs(d):
    body = d.element.body
    for p in body.iter(qn("w:p")):
        out = []
        for el in p.iter():
            if el.tag == qn("w:t"):
                out.append(el.text or "")
            elif el.tag == qn("w:tab"):
                out.append("\t")
        yield "".join(out)


def main():
    cmd = sys.argv[1]
    if cmd == "text":
        d = docx.Document(sys.argv[2])
        for t in paragraphs(d):
            print(t)
    elif cmd == "make":
        d = docx.Document()
        d.add_paragraph(sys.argv[3])
        d.save(sys.argv[2])
    elif cmd == "comment":
        src, dst, text, note = sys.argv[2:6]
        d = docx.Document(src)
        for p in d.paragraphs:
            for r in p.runs:
                if text in r.text:
                    d.add_comment(r, text=note, author="Kaohsiung")
                    d.save(dst)
                    return
        sys.exit(f"no run holds: {text}")


if __name__ == "__main__":
    main()
