#!/usr/bin/env bash
# pactum's test suite on any machine: install what the tests read their outputs back with
# when it is missing (pdftotext, pdfdetach, pdffonts and pdfsig from poppler-utils; headless
# Chromium for the HTML; headless LibreOffice Writer for the DOCX, with the hyphenation patterns
# of the shipped languages that any desktop LibreOffice has), the OpenSSL command that
# makes test signing identities, and the system font of the font-fallback case (DejaVu Sans,
# fonts-dejavu-core), SoftHSM2 and OpenSC (a signing key on a PKCS#11 token), pyHanko and
# pyhanko-cli (pip) to change signed copies as another PDF library would and judge their
# signatures, python3-uno (apt) to edit a DOCX in LibreOffice and python-docx (pip) to read
# one, then run every test. Chinese needs no font: pactum carries its own.
# Arguments go to `cargo nextest run`.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# A signing key on a PKCS#11 token: SoftHSM2, and OpenSC's pkcs11-tool to put a certificate on it.
[ -e /usr/lib/softhsm/libsofthsm2.so ] || missing+=(softhsm2)
command -v pkcs11-tool >/dev/null 2>&1 || missing+=(opensc)
# `soffice` alone may be a leftover of another LibreOffice package: Writer is what converts DOCX.
{ command -v soffice >/dev/null 2>&1 && [ -e /usr/lib/libreoffice/program/libswlo.so ]; } ||
  missing+=(libreoffice-writer-nogui)
# LibreOffice hyphenates as Word does only with the languages' patterns (the DOCX turns
# automatic hyphenation on): the DOCX layout checks read it as a desktop LibreOffice sets it.
for pkg in hyphen-de hyphen-sv hyphen-pl hyphen-en-gb hyphen-en-us; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "tests/run.sh: installing ${missing[*]}" >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# python3-uno: `import`'s tests edit pactum's DOCX in LibreOffice as the other side would
# (the system python3's module: tests/tools/lo_edit.py runs /usr/bin/python3).
if ! /usr/bin/python3 -c 'import uno' >/dev/null 2>&1; then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "tests/run.sh: installing python3-uno" >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-uno >/dev/null
fi
# python-docx (PyPI) reads pactum's DOCX as another program would.
python3 -c 'import docx' >/dev/null 2>&1 ||
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore python-docx
# pyHanko (PyPI) changes signed copies the way another PDF library would, and judges them.
python3 -c 'import pyhanko.sign' >/dev/null 2>&1 ||
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore pyhanko
# pyhanko-cli's `pyhanko sign adesverify` judges the long-term levels (B-LT, B-LTA).
command -v pyhanko >/dev/null 2>&1 ||
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore pyhanko-cli
command -v cargo-nextest >/dev/null 2>&1 || cargo install --locked cargo-nextest

exec cargo nextest run "$@"
