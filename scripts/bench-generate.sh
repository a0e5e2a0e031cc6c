#!/usr/bin/env bash
# Training throughput of the character model (2×256 LSTM, embedding 64, 64 streams × 100 characters,
# Adam, clipping) side by side: `nlp generate train` against scripts/torch_char_lstm.py (PyTorch CPU,
# float32, with 1 and 2 threads), run alternately ROUNDS times so that all see the same machine load.
# Prints every JSON line, then the median characters/s of each and the ratios.
#
# Usage: scripts/bench-generate.sh TEXT [ROUNDS]     (env: NLP=bin/nlp, STEPS=20)
set -euo pipefail
text=$1
rounds=${2:-3}
nlp=${NLP:-bin/nlp}
steps=${STEPS:-20}
py=/usr/bin/python3
out=$(mktemp)
tmp=$(mktemp -d)
trap 'rm -rf "$out" "$tmp"' EXIT

for ((r = 1; r <= rounds; r++)); do
  for threads in 1 2; do
    $py scripts/torch_char_lstm.py --text "$text" --threads "$threads" --steps "$steps" | tee -a "$out"
    GOMAXPROCS=$threads $nlp generate train --text "$text" --threads "$threads" --steps "$steps" \
      --valid-every 1000000 --quiet --json --out "$tmp/m" 2>/dev/null |
      $py -c 'import json,sys; r=json.load(sys.stdin); print(json.dumps({"impl":"nlp","threads":'"$threads"',"steps":r["steps"],"chars_s":round(r["chars_per_second"])}))' |
      tee -a "$out"
    rm -f "$tmp/m" "$tmp/m.ckpt"
  done
done

echo
echo "| threads | PyTorch chars/s | nlp chars/s | nlp / PyTorch |"
echo "|---|---|---|---|"
$py - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
med = lambda impl, th: statistics.median(r["chars_s"] for r in rows if r["impl"].startswith(impl) and r["threads"] == th)
for th in (1, 2):
    p, n = med("pytorch", th), med("nlp", th)
    print(f"| {th} | {p:,.0f} | {n:,.0f} | {n/p:.2f}× |")
p1, n2 = med("pytorch", 1), med("nlp", 2)
print(f"\nnlp with 2 threads against PyTorch's best (1 thread): {n2/max(p1, med('pytorch', 2)):.2f}×")
PY
