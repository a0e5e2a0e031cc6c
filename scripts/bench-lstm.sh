#!/usr/bin/env bash
# Side-by-side layer throughput: `nlp bench lstm` against PyTorch's reference script
# (shared/bench/torch_lstm_bench.py, PyTorch from shared/bench/peers.sh), run alternately
# ROUNDS times per shape so that both see the same machine load. Prints every JSON line,
# then per shape the median tokens/s of each and the ratio nlp/PyTorch.
#
# Usage: scripts/bench-lstm.sh [ROUNDS]      (env: BENCH=../shared/bench, NLP=bin/nlp, SECONDS_EACH=3)
set -euo pipefail
rounds=${1:-5}
bench=${BENCH:-../shared/bench}
nlp=${NLP:-bin/nlp}
secs=${SECONDS_EACH:-3}
py=/usr/bin/python3
out=$(mktemp)
trap 'rm -f "$out"' EXIT

shapes=(
  "--input 100 --hidden 128 --batch 32 --steps 25 --bidirectional --threads 2"
  "--input 100 --hidden 256 --batch 32 --steps 25 --bidirectional --threads 2"
  "--input 100 --hidden 128 --batch 1 --steps 25 --bidirectional --threads 2"
)
for shape in "${shapes[@]}"; do
  for ((r = 1; r <= rounds; r++)); do
    # shellcheck disable=SC2086
    t=$($py "$bench/torch_lstm_bench.py" $shape --seconds "$secs")
    # shellcheck disable=SC2086
    n=$($nlp bench lstm $shape --seconds "$secs" --json)
    echo "$t" | tee -a "$out"
    echo "$n" | tee -a "$out"
  done
done

echo
echo "| hidden | batch | PyTorch train | nlp train | ratio | PyTorch infer | nlp infer | ratio |"
echo "|---|---|---|---|---|---|---|---|"
$py - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
shapes = []
for r in rows:
    k = (r["hidden"], r["batch"])
    if k not in shapes:
        shapes.append(k)
for h, b in shapes:
    def med(impl, key):
        return statistics.median(r[key] for r in rows if r["hidden"] == h and r["batch"] == b and r["impl"].startswith(impl))
    pt, nt = med("pytorch", "train_tok_s"), med("nlp", "train_tok_s")
    pi, ni = med("pytorch", "infer_tok_s"), med("nlp", "infer_tok_s")
    print(f"| {h} | {b} | {pt:,.0f} | {nt:,.0f} | {nt/pt:.1f}× | {pi:,.0f} | {ni:,.0f} | {ni/pi:.1f}× |")
PY
