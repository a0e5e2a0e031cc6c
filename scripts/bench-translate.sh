#!/usr/bin/env bash
# Training throughput of the translation issue's reference configuration side by side: a bidirectional
# GRU encoder 2×512, additive attention, a GRU decoder 512, embeddings 256, dropout 0.5, Adam, batch 128,
# whole words seen twice or more, on Multi30k de→en: `nlp translate train` against
# ../shared/bench/torch_seq2seq.py (PyTorch CPU, float32) with 1 and 2 threads, run alternately ROUNDS
# times so that all see the same machine load. Both count source and target tokens, </s> included.
# Prints every JSON line, then the median tokens/s of each and the ratios.
#
# Usage: scripts/bench-translate.sh DATA_DIR [ROUNDS]     (env: NLP=bin/nlp, STEPS=10, PEERS=../shared/bench)
set -euo pipefail
data=$1
rounds=${2:-3}
nlp=${NLP:-bin/nlp}
steps=${STEPS:-10}
bench=${PEERS:-../shared/bench}
py=/usr/bin/python3
out=$(mktemp)
tmp=$(mktemp -d)
trap 'rm -rf "$out" "$tmp"' EXIT

for ((r = 1; r <= rounds; r++)); do
  for threads in 1 2; do
    $py "$bench/torch_seq2seq.py" "$data/multi30k" "$tmp" --device cpu --threads "$threads" --max-steps "$steps" |
      $py -c 'import json,sys; r=json.load(sys.stdin); print(json.dumps({"impl":"pytorch","threads":'"$threads"',"steps":r["steps"],"tok_s":round(r["train_tok_s"])}))' |
      tee -a "$out"
    GOMAXPROCS=$threads $nlp translate train --src-train "$data/multi30k/train.de" --tgt-train "$data/multi30k/train.en" \
      --cell gru --emb 256 --hidden 512 --decoder 512 --attention additive --output 512 --dropout 0.5 --batch 128 \
      --merges -1 --min-count 2 --lr 0.001 --clip 1 --steps "$steps" --quiet --json --out "$tmp/m" 2>/dev/null |
      $py -c 'import json,sys; r=json.load(sys.stdin); print(json.dumps({"impl":"nlp","threads":'"$threads"',"steps":r["steps"],"tok_s":round(r["units_per_second"])}))' |
      tee -a "$out"
    rm -f "$tmp/m" "$tmp/m.ckpt"
  done
done

echo
echo "| threads | PyTorch tokens/s | nlp tokens/s | nlp / PyTorch |"
echo "|---|---|---|---|"
$py - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
med = lambda impl, th: statistics.median(r["tok_s"] for r in rows if r["impl"] == impl and r["threads"] == th)
for th in (1, 2):
    p, n = med("pytorch", th), med("nlp", th)
    print(f"| {th} | {p:,.0f} | {n:,.0f} | {n/p:.2f}× |")
best = max(med("pytorch", 1), med("pytorch", 2))
print(f"\nnlp with 2 threads against PyTorch's best: {med('nlp', 2)/best:.2f}×")
PY
