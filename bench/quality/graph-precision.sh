#!/usr/bin/env bash
# Precision of a hand-labelled graph sample (graph-sample.sh writes it; the label column is filled by a person reading each
# entity in its document: "entity" = a named thing or concept a user would browse to, "noise" = anything else).
# Usage: bench/quality/graph-precision.sh graph-sample-after.tsv [more.tsv ...]
set -euo pipefail
for f in "$@"; do
  awk -F'\t' -v file="$f" 'NR > 1 && $4 != "" { n++; if ($4 == "entity") ok++; else if ($4 != "noise") bad++ }
    END { if (bad) { print file ": " bad " rows labelled neither entity nor noise" > "/dev/stderr"; exit 1 }
          if (!n) { print file ": no labelled rows" > "/dev/stderr"; exit 1 }
          printf "%s: precision %.2f (%d of %d labelled entity)\n", file, ok / n, ok, n }' "$f"
done
