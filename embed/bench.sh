#!/usr/bin/env bash
# Benchmarks word2vec trainers on one corpus, same machine, same session: the original
# word2vec C tool (NS, HS, CBOW), gensim, fastText, wego used naively through its own
# command, our wego engine (pre-subsampled stream, NS and HS) and our native engine.
# Settings of the embed issue: dim 100, window 5, sample 1e-3, min count 5, 5 epochs,
# negative 5, 2 threads. The trainers run in turn, ROUNDS times, so that the load of
# other jobs on the machine falls on all of them alike; make embed-bench then reports
# medians. Output: one tab-separated line per run in OUT/runs.tsv (appended to):
#   name round wall_s cpu_s vocab wordsim353 simlex999 analogy
# (cpu_s: user + system seconds of the trainer and its children, which the load of
# other jobs disturbs much less than the wall time)
# and the table of medians in OUT/summary.md (embed/bench-summary.py).
# Usage: embed/bench.sh CORPUS OUTDIR [ROUNDS] [NAMES...]   (run /work/shared/bench/peers.sh first)
set -euo pipefail
C=$1; O=$2; R=${3:-3}; shift 3 || shift $#
P=${PEERS:-/opt/peers}; EVAL=${EVAL:-../shared/data/word-eval}; NLP=${NLP:-bin/nlp}; T=${THREADS:-2}
mkdir -p "$O"; O=$(cd "$O" && pwd)
R0=${ROUND0:-0} # number the rounds from R0+1 (to add rounds to an earlier run)
NAMES=${*:-c-ns c-hs gensim-ns fasttext-ns wego-naive-ns wego-ns wego-hs native-ns native-hs c-cbow-ns native-cbow-ns native-ns-1thread native-hs-1thread}
common="--dim 100 --window 5 --sample 1e-3 --min-count 5 --epochs 5 --negative 5 -q"

run() { # name out.txt command...
	local name=$1 out=$2; shift 2
	rm -f "$out"
	local t
	if ! t=$( { TIMEFORMAT='%R %U %S'; time "$@" >/dev/null 2>"$O/$name.err"; } 2>&1 ); then
		echo "$name failed: see $O/$name.err" >&2
		return 0
	fi
	local wall cpu
	wall=$(echo "$t" | tail -1 | awk '{printf "%.2f", $1}')
	cpu=$(echo "$t" | tail -1 | awk '{printf "%.2f", $2 + $3}')
	local j=$("$NLP" embed eval --vectors "$out" --data "$EVAL" --json)
	python3 -c "import json,sys; j=json.loads(sys.argv[1]); print('\t'.join(map(str,[sys.argv[2],sys.argv[3],sys.argv[4],sys.argv[5],j['vocab'],j['wordsim353'],j['simlex999'],j['analogy']])))" "$j" "$name" "$round" "$wall" "$cpu" | tee -a "$O/runs.tsv"
}

wego_naive() { # wego's own command on the raw corpus; its output has no header line
	"$O/wego" word2vec -i "$C" -o "$O/wego-naive.raw" --model skipgram --optimizer ns \
		-d 100 -w 5 --threshold 1e-3 --min-count 5 --iter 5 --sample 5 --goroutines "$T" --in-memory
	{ echo "$(wc -l <"$O/wego-naive.raw") 100"; cat "$O/wego-naive.raw"; } >"$O/wego-naive-ns.txt"
	rm -f "$O/wego-naive.raw"
}

gensim_ns() {
	"${PYTHON:-/usr/bin/python3}" -c "
from gensim.models import Word2Vec
from gensim.models.word2vec import LineSentence
m = Word2Vec(LineSentence('$C'), sg=1, vector_size=100, window=5, negative=5, hs=0, sample=1e-3, workers=$T, epochs=5, min_count=5)
m.wv.save_word2vec_format('$O/gensim-ns.txt')"
}

fasttext_ns() {
	fasttext skipgram -input "$C" -output "$O/fasttext" -dim 100 -ws 5 -neg 5 -thread "$T" -epoch 5 -minCount 5 -maxn 0 -t 1e-3
	mv "$O/fasttext.vec" "$O/fasttext-ns.txt"; rm -f "$O/fasttext.bin"
}

# wego's own command, built once in a scratch module at the version go.mod pins (its command-line
# dependencies are not in our go.sum).
if [[ " $NAMES " == *" wego-naive-ns "* && ! -x "$O/wego" ]]; then
	WV=$(go list -m -f '{{.Version}}' github.com/ynqa/wego)
	(d=$(mktemp -d) && cd "$d" && go mod init scratch >/dev/null 2>&1 && go get "github.com/ynqa/wego@$WV" >/dev/null 2>&1 &&
		go build -o "$O/wego" github.com/ynqa/wego)
fi
w2v="-size 100 -window 5 -sample 1e-3 -threads $T -iter 5 -min-count 5"
for round in $(seq $((R0 + 1)) $((R0 + R))); do
	for n in $NAMES; do
		case $n in
		c-ns) run $n "$O/$n.txt" "$P/word2vec" -train "$C" -output "$O/$n.txt" -cbow 0 -negative 5 -hs 0 $w2v ;;
		c-hs) run $n "$O/$n.txt" "$P/word2vec" -train "$C" -output "$O/$n.txt" -cbow 0 -negative 0 -hs 1 $w2v ;;
		c-cbow-ns) run $n "$O/$n.txt" "$P/word2vec" -train "$C" -output "$O/$n.txt" -cbow 1 -negative 5 -hs 0 $w2v ;;
		gensim-ns) run $n "$O/$n.txt" gensim_ns ;;
		fasttext-ns) run $n "$O/$n.txt" fasttext_ns ;;
		wego-naive-ns) run $n "$O/$n.txt" wego_naive ;;
		wego-ns) run $n "$O/$n.txt" "$NLP" embed train --engine wego --optimizer ns --corpus "$C" --out "$O/$n.txt" --threads "$T" --seed "$round" $common ;;
		wego-hs) run $n "$O/$n.txt" "$NLP" embed train --engine wego --optimizer hs --corpus "$C" --out "$O/$n.txt" --threads "$T" --seed "$round" $common ;;
		native-ns) run $n "$O/$n.txt" "$NLP" embed train --engine native --optimizer ns --corpus "$C" --out "$O/$n.txt" --threads "$T" --seed "$round" $common ;;
		native-hs) run $n "$O/$n.txt" "$NLP" embed train --engine native --optimizer hs --corpus "$C" --out "$O/$n.txt" --threads "$T" --seed "$round" $common ;;
		native-cbow-ns) run $n "$O/$n.txt" "$NLP" embed train --engine native --model cbow --optimizer ns --corpus "$C" --out "$O/$n.txt" --threads "$T" --seed "$round" $common ;;
		native-hs-1thread) run $n "$O/$n.txt" "$NLP" embed train --engine native --optimizer hs --corpus "$C" --out "$O/$n.txt" --threads 1 --seed "$round" $common ;;
		native-ns-1thread) run $n "$O/$n.txt" "$NLP" embed train --engine native --optimizer ns --corpus "$C" --out "$O/$n.txt" --threads 1 --seed "$round" $common ;;
		*) echo "unknown trainer $n" >&2; exit 2 ;;
		esac
	done
done
python3 "$(dirname "$0")/bench-summary.py" "$O/runs.tsv" | tee "$O/summary.md"
