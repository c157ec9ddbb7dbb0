#!/usr/bin/env bash
# Precision of a hand-labelled graph sample (graph-sample.sh writes it; the label column is filled by a person reading each
# entity in its document: "entity" = a named thing or concept a user would browse to, "noise" = anything else). Also given
# for the prose documents alone: the structured files (.csv, .json, .xlsx) name one thing per row and are easy.
# Usage: bench/quality/graph-precision.sh graph-sample-after.tsv [more.tsv ...]
set -euo pipefail
for f in "$@"; do
  awk -F'\t' -v file="$f" 'NR > 1 && $4 != "" {
      n++; ok += ($4 == "entity"); bad += ($4 != "entity" && $4 != "noise")
      if ($2 !~ /\.(csv|json|xlsx)$/) { pn++; pok += ($4 == "entity") } }
    END { if (bad) { print file ": " bad " rows labelled neither entity nor noise" > "/dev/stderr"; exit 1 }
          if (!n) { print file ": no labelled rows" > "/dev/stderr"; exit 1 }
          printf "%s: precision %.2f (%d of %d labelled entity); prose documents only %.2f (%d of %d)\n",
            file, ok / n, ok, n, pn ? pok / pn : 0, pok, pn }' "$f"
done
