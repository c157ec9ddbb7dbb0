#!/usr/bin/env bash
# Builds the quality corpus from Debian packages (apt-get download + dpkg-deb -x; no root needed for either) and converts
# three files with LibreOffice (DOCX, XLSX), so every format the platform parses is a real document nobody here wrote.
# Usage: bench/quality/fetch-corpus.sh OUT_DIR     (idempotent: an existing complete OUT_DIR is kept)
set -euo pipefail
out=${1:?usage: fetch-corpus.sh OUT_DIR}
if [[ -f "$out/.complete" ]]; then exit 0; fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
# Versions as written into questions.json; when the mirror has moved on, the candidate is taken (the facts asked are stable).
packages=(debian-faq=11.1 debian-faq-zh-cn=11.1 maint-guide=1.2.53 maint-guide-zh-cn=1.2.53 debian-reference-en=2.100
  debian-reference-zh-cn=2.100 distro-info-data iso-codes zstd)
cd "$work"
for p in "${packages[@]}"; do
  apt-get download "$p" >/dev/null 2>&1 || apt-get download "${p%%=*}" >/dev/null
done
for deb in *.deb; do dpkg-deb -x "$deb" root; done
r=root/usr/share
gunzip -c $r/doc/debian/FAQ/debian-faq.en.pdf.gz          > "$out/debian-faq.en.pdf"
cp $r/doc/maint-guide-zh-cn/maint-guide.zh-cn.pdf           "$out/maint-guide.zh-cn.pdf"
gunzip -c $r/doc/maint-guide/maint-guide.en.txt.gz          > "$out/maint-guide.en.txt"
gunzip -c $r/doc/debian/FAQ/debian-faq.zh-cn.txt.gz         > "$out/debian-faq.zh-cn.txt"
cp $r/debian-reference/ch05.en.html                         "$out/debian-reference-network.en.html"
cp $r/debian-reference/ch03.zh-cn.html                      "$out/debian-reference-init.zh-cn.html"
gunzip -c $r/doc/zstd/README.md.gz                          > "$out/zstd-README.md"
cp $r/distro-info/debian.csv                                "$out/debian-releases.csv"
cp $r/iso-codes/json/iso_4217.json                          "$out/iso_4217-currencies.json"
# LibreOffice conversions: a real chapter each way, and a real table.
mkdir -p conv
cp $r/debian-reference/ch10.en.html conv/debian-reference-data.en.html
cp $r/debian-reference/ch07.zh-cn.html conv/debian-reference-gui.zh-cn.html
cp $r/distro-info/ubuntu.csv conv/ubuntu-releases.csv
lo() { libreoffice --headless -env:UserInstallation=file://$work/lo "$@" >/dev/null 2>&1; }
lo --convert-to 'docx:MS Word 2007 XML' --outdir conv conv/debian-reference-data.en.html conv/debian-reference-gui.zh-cn.html
lo --convert-to xlsx --outdir conv conv/ubuntu-releases.csv
cp conv/*.docx conv/*.xlsx "$out/"
touch "$out/.complete"
ls -l "$out"
