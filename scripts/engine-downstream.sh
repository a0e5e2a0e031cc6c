#!/usr/bin/env bash
# Which word2vec engine should the models start from? Trains vectors on the bench corpus
# (../shared/data/README.md's 1.7M-token recipe) with each engine at its best setting, then the
# SST-2 classifier (the embedded model's configuration) and the tagger (a fixed budget of EPOCHS
# epochs on EWT) from each, and prints one markdown row per engine: embedding time and quality,
# classifier dev accuracy, tagger dev UPOS/XPOS and unseen-word UPOS.
#
# Usage: scripts/engine-downstream.sh [EPOCHS]     (env: DATA=../shared/data, OUT=out, NLP=bin/nlp,
#                                                   CORPUS=out/corpus-bench.txt from `make corpus-bench`)
set -euo pipefail
epochs=${1:-8}
data=${DATA:-../shared/data}
out=${OUT:-out}/engine-downstream
nlp=${NLP:-bin/nlp}
corpus=${CORPUS:-${OUT:-out}/corpus-bench.txt}
mkdir -p "$out"

engines=(
  "native, skip-gram, negative sampling|--engine native --optimizer ns"
  "native, skip-gram, hierarchical softmax|--engine native --optimizer hs"
  "wego, skip-gram, hierarchical softmax|--engine wego --optimizer hs"
)
echo "| engine | train s | WS353 | SimLex | SST-2 dev | tagger dev UPOS | XPOS | unseen UPOS |"
echo "|---|---|---|---|---|---|---|---|"
for e in "${engines[@]}"; do
  name=${e%%|*}
  flags=${e#*|}
  base="$out/$(echo "$name" | tr -c 'a-z0-9' '_')"
  start=$(date +%s.%N)
  # shellcheck disable=SC2086
  "$nlp" embed train --corpus "$corpus" --out "$base.bin" $flags --seed 1 --threads 2 --quiet 2>/dev/null
  secs=$(echo "$(date +%s.%N) - $start" | bc)
  emb=$("$nlp" embed eval --vectors "$base.bin" --json)
  "$nlp" classify train --train "$data/sst/stsa.binary.train" --dev "$data/sst/stsa.binary.dev" \
    --vectors "$base.bin" --cell gru --epochs 15 --patience 4 --label-names negative,positive \
    --seed 1 --quiet --out "$base.classifier" >/dev/null 2>&1
  cls=$("$nlp" classify eval --model "$base.classifier" --json "$data/sst/stsa.binary.dev")
  "$nlp" tag train --train "$data/ud-english-ewt/en_ewt-ud-train.conllu" --dev "$data/ud-english-ewt/en_ewt-ud-dev.conllu" \
    --vectors "$base.bin" --epochs "$epochs" --seed 1 --out "$base.tagger" --quiet >/dev/null 2>&1
  tag=$("$nlp" tag eval --model "$base.tagger" --json "$data/ud-english-ewt/en_ewt-ud-dev.conllu")
  /usr/bin/env python3 - "$name" "$secs" "$emb" "$cls" "$tag" <<'PY'
import json, sys
name, secs = sys.argv[1], float(sys.argv[2])
emb, cls, tag = (json.loads(a) for a in sys.argv[3:6])
print(f"| {name} | {secs:.1f} | {emb['wordsim353']:.3f} | {emb['simlex999']:.3f} | {100*cls['accuracy']:.2f} "
      f"| {100*tag['upos']:.2f} | {100*tag['xpos']:.2f} | {100*tag['oov_upos']:.2f} |")
PY
done
