#!/usr/bin/env bash
# The quality benchmark in one command: fetch the corpus (Debian packages + LibreOffice conversions), ingest it with the
# platform's parsers, and score search (keyword, vector, hybrid) and extractive answers on bench/quality/questions.json.
# Usage: bench/quality/run.sh [--label TEXT] [--details FILE]      Corpus cache: $QUALITY_CORPUS (default bench/quality/.corpus)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
corpus=${QUALITY_CORPUS:-$here/.corpus}
lo=/usr/lib/libreoffice/program # Writer and Calc themselves: libreoffice-common alone also brings the launcher
if [ ! -f $lo/libswlo.so ] || [ ! -f $lo/libsclo.so ]; then
  if [[ $(id -u) == 0 ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libreoffice-writer-nogui libreoffice-calc-nogui >/dev/null
  else
    echo "libreoffice is needed for the DOCX/XLSX files: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui" >&2; exit 1
  fi
fi
"$here/fetch-corpus.sh" "$corpus"
dotnet run -c Release --project "$here" -- --corpus "$corpus" --questions "$here/questions.json" "$@"
