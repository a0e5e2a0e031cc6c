#!/usr/bin/env bash
# The tagger on a second language and script: Russian, from the two small UD treebanks of
# ../shared/data (GSD: 579 sentences with its own XPOS tag set; Taiga: 1,260 sentences without XPOS).
# Only their dev files are ours to use, so each is cut (`nlp datasets split`, contiguous) into a
# training part (the first 80% of its sentences) and a development part (the last 20%).
# No Russian word vectors exist here: every model is word + characters, random initialisation.
# Trains, on GSD alone, on Taiga alone and on both together (an XPOS of "_" in Taiga is then "not
# annotated"), and prints one markdown row per model and development part, beside a most-frequent-tag
# baseline (each form's most frequent UPOS and XPOS in the training part, the most frequent pair for
# forms it never saw).
#
# Usage: scripts/tagger-russian.sh [RECIPE flags...]   (env: DATA=../shared/data OUT=out NLP=bin/nlp)
# With no flags the small-treebank recipe of BENCHMARKS.md is used.
set -euo pipefail
data=${DATA:-../shared/data}/ud-russian
out=${OUT:-out}/russian
nlp=${NLP:-bin/nlp}
if [ $# -eq 0 ]; then
  set -- --epochs 150 --patience 15 --lr-decay -1 --dropout 0.5
fi
mkdir -p "$out"

for tb in gsd taiga; do
  "$nlp" datasets split --train-out "$out/$tb-train.conllu" --dev-out "$out/$tb-dev.conllu" \
    "$data/ru_$tb-ud-dev.conllu" >&2
done

# baseline TRAIN DEV: accuracy of the most frequent tags of each form (exact form), "UPOS XPOS".
baseline() {
  awk -F'\t' '
    FNR == 1 { file++ }
    NF != 10 || $1 !~ /^[0-9]+$/ { next }
    file == 1 { n[$2 SUBSEP $4 SUBSEP $5]++; pair[$4 SUBSEP $5]++; next }
    { gold[++m] = $2 SUBSEP $4 SUBSEP $5 }
    END {
      for (k in n) { split(k, a, SUBSEP); if (n[k] > bestn[a[1]]) { bestn[a[1]] = n[k]; best[a[1]] = a[2] SUBSEP a[3] } }
      for (p in pair) if (pair[p] > topn) { topn = pair[p]; top = p }
      for (i = 1; i <= m; i++) {
        split(gold[i], g, SUBSEP)
        guess = (g[1] in best) ? best[g[1]] : top
        split(guess, q, SUBSEP)
        u += (q[1] == g[2]); if (g[3] != "_") { xn++; x += (q[2] == g[3]) }
      }
      printf "%.2f %s\n", 100 * u / m, xn ? sprintf("%.2f", 100 * x / xn) : "–"
    }' "$1" "$2"
}

models=(
  "gsd|--train $out/gsd-train.conllu --dev $out/gsd-dev.conllu"
  "taiga|--train $out/taiga-train.conllu --dev $out/taiga-dev.conllu"
  "both|--train $out/gsd-train.conllu,$out/taiga-train.conllu --dev $out/gsd-dev.conllu,$out/taiga-dev.conllu"
)
echo "| trained on | scored on | words | UPOS | XPOS | UPOS on unseen words (share) | baseline UPOS / XPOS | best epoch |"
echo "|---|---|---|---|---|---|---|---|"
for m in "${models[@]}"; do
  name=${m%%|*}
  # shellcheck disable=SC2086 # the flags are meant to split
  "$nlp" tag train ${m#*|} "$@" --quiet --json --out "$out/$name.model" > "$out/$name.json" 2> "$out/$name.log"
  best=$(grep -o '"best_epoch":[0-9]*' "$out/$name.json" | cut -d: -f2)
  for tb in gsd taiga; do
    case $name in gsd|taiga) [ "$name" = "$tb" ] || continue ;; esac
    "$nlp" tag eval --json --model "$out/$name.model" "$out/$tb-dev.conllu" > "$out/$name-on-$tb.json"
    read -r bu bx < <(baseline "$out/$tb-train.conllu" "$out/$tb-dev.conllu")
    fields=$(sed -e 's/[{}]//g' -e 's/,"per_tag".*//' "$out/$name-on-$tb.json" | tr ',' '\n')
    get() { echo "$fields" | grep "^\"$1\":" | cut -d: -f2; }
    pct() { awk -v v="$1" 'BEGIN { printf "%.2f", 100 * v }'; }
    xpos=$( [ "$(get xpos_tokens)" = 0 ] && echo "–" || pct "$(get xpos)" )
    share=$(awk -v a="$(get oov_tokens)" -v b="$(get tokens)" 'BEGIN { printf "%.1f%%", 100 * a / b }')
    echo "| $name | $tb dev | $(get tokens) | $(pct "$(get upos)") | $xpos | $(pct "$(get oov_upos)") ($share) | $bu / $bx | $best |"
  done
done
