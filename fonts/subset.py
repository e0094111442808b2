#!/usr/bin/env python3
"""Rebuild pactum's own Traditional Chinese font: a subset of Noto Serif CJK TC.

Source: Debian's `fonts-noto-cjk` (1:20220127+repack1-1, Noto Serif CJK 2.001), faces
"Noto Serif CJK TC" (index 3) of NotoSerifCJK-Regular.ttc and NotoSerifCJK-Bold.ttc.
Tool: fontTools' subsetter (`pip install fonttools`).

    apt-get install fonts-noto-cjk && pip install fonttools
    python3 fonts/subset.py            # writes fonts/NotoSerifCJKtc-{Regular,Bold}.subset.otf

or, without installing the package: `apt-get download fonts-noto-cjk`, `dpkg -x` it into a folder
and point `NOTO_CJK_DIR` at its `usr/share/fonts/opentype/noto`.

The character set:
- the frequently used characters of Big5 (level 1, A440-C67E: 5,401 hanzi) and Big5's
  symbols (A140-A3BF);
- CJK symbols and punctuation, full-width and half-width forms, vertical and small forms;
- Basic Latin and the Latin-1 punctuation Chinese text uses;
- every Chinese character (see `CHINESE`) in the shipped templates, examples and tests.

The Japanese, Korean, Simplified Chinese and Hong Kong alternates (`locl`) and the vertical
forms are left out (see DROPPED): half the glyphs, half the file. The outlines are
desubroutinized. A PDF embeds a subset of the face, and krilla's subsetter
decompiles each used glyph with the subroutines it calls; with none to follow, that costs a
quarter less per face (a trilingual render subsets both faces), and the subset it writes is the
same. The font file grows by about 9 %.

The output is reproducible: the same source, fontTools version and tree (the character set
includes the tree's own Chinese text) give the same bytes (the subsetter keeps the source's
timestamps). The family name stays "Noto Serif CJK TC" (the
license reserves only the name "Source"), so templates name it as before.
"""

import os
import pathlib
import sys

from fontTools import subset

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE = pathlib.Path(os.environ.get("NOTO_CJK_DIR") or "/usr/share/fonts/opentype/noto")
FACES = {"Regular": "NotoSerifCJK-Regular.ttc", "Bold": "NotoSerifCJK-Bold.ttc"}
TC_INDEX = 3  # JP, KR, SC, TC, HK


def big5(lead_range, trail_ranges):
    out = set()
    for lead in lead_range:
        for lo, hi in trail_ranges:
            for trail in range(lo, hi + 1):
                try:
                    out.update(bytes([lead, trail]).decode("big5"))
                except UnicodeDecodeError:
                    pass
    return out


# Where the tree's own Chinese text is taken from: CJK radicals, symbols and punctuation,
# bopomofo, the unified ideographs (with extension A and the supplementary planes),
# compatibility ideographs and forms, full-width forms. Not Hangul or kana: tests name those to
# prove that pactum's font does not cover them.
CHINESE = [(0x2E80, 0x2FDF), (0x3000, 0x303F), (0x3100, 0x312F), (0x31A0, 0x31BF),
           (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F),
           (0xFF00, 0xFFEF), (0x20000, 0x3FFFF)]


def chinese(c):
    return any(lo <= ord(c) <= hi for lo, hi in CHINESE)


def characters():
    trails = [(0x40, 0x7E), (0xA1, 0xFE)]
    chars = big5(range(0xA4, 0xC7), trails)  # level 1 (A440-C67E)
    chars = {c for c in chars if not (0xC67F <= int(c.encode("big5").hex(), 16))}
    chars |= big5(range(0xA1, 0xA4), trails)  # symbols (A140-A3BF)
    ranges = [
        (0x0020, 0x007E),  # Basic Latin
        (0x00A0, 0x00FF),  # Latin-1
        (0x2010, 0x2027),  # dashes, quotes, ellipsis, hyphenation point
        (0x2030, 0x203B),
        (0x3000, 0x303F),  # CJK symbols and punctuation
        (0xFE10, 0xFE1F),  # vertical forms
        (0xFE30, 0xFE6F),  # CJK compatibility and small forms
        (0xFF00, 0xFFEF),  # full-width and half-width forms
    ]
    for lo, hi in ranges:
        chars |= {chr(c) for c in range(lo, hi + 1)}
    for folder in ("templates", "agreements", "tests", "src"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in {".yaml", ".hbs", ".typ", ".rs", ".md", ".snap"} and path.is_file():
                text = path.read_text(encoding="utf-8", errors="ignore")
                chars |= {c for c in text if chinese(c)}
    return chars


# OpenType features the subset drops. `locl` maps characters to the Japanese, Korean,
# Simplified Chinese and Hong Kong forms of the other Noto CJK faces; the TC face's own forms
# are Taiwan's, which pactum prints, and keeping those alternates doubles the glyph count (and
# the file every PDF export subsets and Typst hashes). The vertical ones serve vertical
# writing, which Typst does not set.
DROPPED = {"locl", "vert", "vrt2", "vkrn", "vpal", "vhal", "valt"}


def features(path):
    """Every layout feature of the TC face but those in DROPPED."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), fontNumber=TC_INDEX, lazy=True)
    tags = set()
    for table in ("GSUB", "GPOS"):
        if table in font:
            tags |= {r.FeatureTag for r in font[table].table.FeatureList.FeatureRecord}
    return sorted(tags - DROPPED)


def main():
    chars = characters()
    unicodes = sorted(ord(c) for c in chars)
    print(f"{len(unicodes)} characters", file=sys.stderr)
    for style, file in FACES.items():
        out = ROOT / "fonts" / f"NotoSerifCJKtc-{style}.subset.otf"
        options = subset.Options()
        options.font_number = TC_INDEX
        options.layout_features = features(SOURCE / file)
        options.name_IDs = ["*"]
        options.name_languages = ["*"]
        options.notdef_outline = True
        options.glyph_names = False
        options.desubroutinize = True
        font = subset.load_font(str(SOURCE / file), options, dontLoadGlyphNames=True)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=unicodes)
        subsetter.subset(font)
        subset.save_font(font, str(out), options)
        print(f"{out.relative_to(ROOT)}: {out.stat().st_size:,} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
