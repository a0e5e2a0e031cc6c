#!/usr/bin/env bash
# The tagger ablation of BENCHMARKS.md: the same training (EWT train, early stopping on EWT dev, seed 1)
# with word2vec or random initialisation, with or without the character model, and each sentence cell.
# Prints one markdown row per variant: dev UPOS, XPOS, unseen-word UPOS, best epoch, seconds per epoch.
#
# Usage: scripts/tagger-ablation.sh [EPOCHS]      (env: DATA=../shared/data, OUT=out, NLP=bin/nlp,
#                                                  VECTORS=out/vectors-full.bin from `make vectors`)
set -euo pipefail
epochs=${1:-30}
data=${DATA:-../shared/data}
out=${OUT:-out}/ablation
nlp=${NLP:-bin/nlp}
vectors=${VECTORS:-${OUT:-out}/vectors-full.bin}
train=$data/ud-english-ewt/en_ewt-ud-train.conllu
dev=$data/ud-english-ewt/en_ewt-ud-dev.conllu
mkdir -p "$out"

variants=(
  "word2vec+chars lstm|--vectors $vectors --cell lstm"
  "random+chars lstm|--cell lstm --word-dim 164"
  "word2vec, no chars, lstm|--vectors $vectors --cell lstm --no-chars"
  "random, no chars, lstm|--cell lstm --word-dim 164 --no-chars"
  "word2vec+chars gru|--vectors $vectors --cell gru"
  "word2vec+chars peephole|--vectors $vectors --cell peephole"
  "word2vec+chars nig|--vectors $vectors --cell nig"
  "word2vec+chars rnn|--vectors $vectors --cell rnn"
)
echo "| variant | dev UPOS | dev XPOS | unseen UPOS | best epoch | s/epoch |"
echo "|---|---|---|---|---|---|"
for v in "${variants[@]}"; do
  name=${v%%|*}
  flags=${v#*|}
  model="$out/$(echo "$name" | tr -c 'a-z0-9' '_').model"
  # shellcheck disable=SC2086
  rep=$("$nlp" tag train --train "$train" --dev "$dev" $flags --epochs "$epochs" --seed 1 --out "$model" --resume --quiet --json 2>/dev/null)
  ev=$("$nlp" tag eval --model "$model" --json "$dev")
  /usr/bin/env python3 - "$name" "$rep" "$ev" <<'PY'
import json, sys
name, rep, ev = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
secs = sum(e["seconds"] for e in rep["epochs"]) / len(rep["epochs"])
print(f"| {name} | {100*ev['upos']:.2f} | {100*ev['xpos']:.2f} | {100*ev['oov_upos']:.2f} | {rep['best_epoch']} | {secs:.0f} |")
PY
done
