#!/usr/bin/python3
"""Edit a DOCX in LibreOffice, as the other side would, driven headless through UNO.

    lo_edit.py IN.docx OUT.docx EDITS.json [--track]

EDITS.json is a list of edits, applied in order:
  {"replace": "old text", "with": "new text"}        every occurrence
  {"replace": "old text", "with": "new", "first": true}  the first only
  {"replace": "old text", "with": "new", "last": true}   the last only (a moved copy, not the
                                                      tracked deletion where it stood)
  {"delete_paragraph": "text in it", "count": 2}      the first paragraph holding it (and the
                                                      count - 1 after it), marks and all
  {"insert_after": "text in it", "count": 1,          new paragraphs after the first paragraph
   "paragraphs": ["Article 6\nTitle", "Text."],       holding it (and the count - 1 after it); the
   "heading_style": true}                             first in that paragraph's style (a heading's
                                                      when "heading_style" names one: "Heading 1")
  {"move_paragraphs": "text in it", "count": 3,       the paragraphs (as delete_paragraph selects
   "to_after": "text", "to_count": 2}                  them) cut and pasted after the first paragraph
                                                      holding "to_after" (and to_count - 1 after it)
Comments are added afterwards by docx_read.py with python-docx (LibreOffice 7.4 through UNO
dies on DOCX comments; see docx-anchors.md). Runs under the system python3 (python3-uno).
With --track, change tracking is on; with --accept, every tracked change in the document is
accepted after the edits (an empty EDITS list accepts the other side's). Saved as Word
2007-365 (.docx).
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


PARAGRAPH_BREAK = 0
LINE_BREAK = 1


def find(doc, what):
    d = doc.createSearchDescriptor()
    d.SearchString = what
    d.SearchCaseSensitive = True
    found = doc.findFirst(d)
    if found is None:
        sys.exit(f"not found: {what}")
    return found


def paragraph_range(doc, what, count):
    """The first paragraph holding `what` and the count - 1 after it, with their marks."""
    found = find(doc, what)
    cursor = found.getText().createTextCursorByRange(found.getStart())
    cursor.gotoStartOfParagraph(False)
    for _ in range(count):
        cursor.gotoEndOfParagraph(True)
        cursor.goRight(1, True)
    return cursor


def paragraph_end(doc, what, count):
    """A cursor at the end of the count-th paragraph from the first holding `what`."""
    found = find(doc, what)
    cursor = found.getText().createTextCursorByRange(found.getStart())
    for i in range(count):
        if i:
            cursor.gotoNextParagraph(False)
        cursor.gotoEndOfParagraph(False)
    return cursor


def main():
    src, dst, edits_file = sys.argv[1:4]
    track = "--track" in sys.argv
    edits = json.load(open(edits_file, encoding="utf-8"))
    profile = tempfile.mkdtemp(prefix="lo-profile-")
    port = free_port()
    office = subprocess.Popen(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            f"--accept=socket,host=127.0.0.1,port={port};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        ctx = None
        for _ in range(120):
            try:
                ctx = resolver.resolve(
                    f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext"
                )
                break
            except Exception:
                time.sleep(0.25)
        if ctx is None:
            sys.exit("LibreOffice did not start")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        url = uno.systemPathToFileUrl(os.path.abspath(src))
        doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
        doc.RecordChanges = track
        for e in edits:
            if "replace" in e:
                d = doc.createReplaceDescriptor()
                d.SearchString = e["replace"]
                d.SearchCaseSensitive = True
                d.ReplaceString = e["with"]
                if e.get("last"):
                    found = doc.findAll(d)
                    if found.getCount() == 0:
                        sys.exit(f"not found: {e['replace']}")
                    found.getByIndex(found.getCount() - 1).setString(e["with"])
                elif e.get("first"):
                    found = doc.findFirst(d)
                    if found is None:
                        sys.exit(f"not found: {e['replace']}")
                    found.setString(e["with"])
                else:
                    if doc.replaceAll(d) == 0:
                        sys.exit(f"not found: {e['replace']}")
            elif "delete_paragraph" in e:
                d = doc.createSearchDescriptor()
                d.SearchString = e["delete_paragraph"]
                d.SearchCaseSensitive = True
                found = doc.findFirst(d)
                if found is None:
                    sys.exit(f"not found: {e['delete_paragraph']}")
                text = found.getText()
                cursor = text.createTextCursorByRange(found.getStart())
                cursor.gotoStartOfParagraph(False)
                for _ in range(e.get("count", 1)):
                    cursor.gotoEndOfParagraph(True)
                    cursor.goRight(1, True)  # the paragraph mark: the next paragraph's start
                cursor.setString("")
            elif "insert_after" in e:
                cursor = paragraph_end(doc, e["insert_after"], e.get("count", 1))
                text = cursor.getText()
                style = e.get("heading_style")
                for i, para in enumerate(e["paragraphs"]):
                    text.insertControlCharacter(cursor, PARAGRAPH_BREAK, False)
                    if i == 0 and style:
                        cursor.ParaStyleName = style
                    elif i == 1 and style:
                        cursor.ParaStyleName = "Standard"
                    lines = para.split("\n")
                    for j, line in enumerate(lines):
                        if j:
                            text.insertControlCharacter(cursor, LINE_BREAK, False)
                        text.insertString(cursor, line, False)
            elif "move_paragraphs" in e:
                cursor = paragraph_range(doc, e["move_paragraphs"], e.get("count", 1))
                controller = doc.getCurrentController()
                controller.select(cursor)
                moved = controller.getTransferable()
                cursor.setString("")
                target = paragraph_end(doc, e["to_after"], e.get("to_count", 1))
                text = target.getText()
                text.insertControlCharacter(target, PARAGRAPH_BREAK, False)
                controller.select(target)
                controller.insertTransferable(moved)
                # The paste ends with the moved paragraphs' last mark: the empty paragraph
                # the break made is left over.
                after = controller.getViewCursor()
                c = after.getText().createTextCursorByRange(after.getStart())
                c.goRight(1, True)
                if c.getString() in ("\n", "\r\n", "\r", "\u2029"):
                    c.setString("")
        if "--accept" in sys.argv:
            dispatcher = ctx.ServiceManager.createInstanceWithContext(
                "com.sun.star.frame.DispatchHelper", ctx
            )
            frame = doc.getCurrentController().getFrame()
            dispatcher.executeDispatch(frame, ".uno:AcceptAllTrackedChanges", "", 0, ())
        out = uno.systemPathToFileUrl(os.path.abspath(dst))
        doc.storeToURL(out, (prop("FilterName", "MS Word 2007 XML"),))
        doc.close(True)
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        try:
            office.wait(timeout=20)
        except Exception:
            office.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
