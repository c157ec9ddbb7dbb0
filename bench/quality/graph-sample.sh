#!/usr/bin/env bash
# The knowledge graph on the quality corpus plus one short real document that names Nginx about 50 times, mostly in lower case
# (nginx-common's NEWS.Debian, as in issue 22's finding): entity counts, each document's top 30 entities, and 100
# (entity, document) pairs drawn with a fixed seed, written to OUT for labelling by hand (graph-precision.sh scores it).
# Usage: bench/quality/graph-sample.sh OUT.tsv [--label TEXT]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(realpath -m "${1:?usage: graph-sample.sh OUT.tsv [--label TEXT]}"); shift
corpus=${QUALITY_CORPUS:-$here/.corpus}
extra=$here/.corpus-graph
"$here/fetch-corpus.sh" "$corpus" >/dev/null
if [[ ! -f "$extra/nginx-NEWS.Debian.txt" ]]; then
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  (cd "$work" && apt-get download nginx-common >/dev/null && dpkg-deb -x nginx-common_*.deb root)
  mkdir -p "$extra"
  gunzip -c "$work/root/usr/share/doc/nginx-common/NEWS.Debian.gz" > "$extra/nginx-NEWS.Debian.txt"
fi
dotnet run -c Release --project "$here" -- --corpus "$corpus" --questions "$here/questions.json" --graph-sample "$out" \
  --graph-extra "$extra" "$@"
