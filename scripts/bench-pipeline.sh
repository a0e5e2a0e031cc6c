#!/usr/bin/env bash
# End-to-end speed and memory of `nlp pipeline` on plain English text: IMDB reviews (the unlabelled
# set, "<br />" line breaks removed), one review a line. Prints, for each run, tokens/s, CPU time and
# maximum resident set size (GNU time):
#   1. nlp pipeline on 5 MB of reviews (tokenize, tag, classify; JSON lines to /dev/null);
#   2. nlp tag on the same text, for the ratio (one process; its model load included);
#   3. nlp pipeline on the reviews repeated to each size in SIZES (bytes), streamed through a pipe
#      into `nlp pipeline -`: no file of that size is written. RSS should not grow with the size.
#
# Usage: scripts/bench-pipeline.sh       (env: DATA=../shared/data OUT=out NLP=bin/nlp
#                                         SIZES="1000000 100000000"; add 1000000000 for 1 GB)
set -euo pipefail
data=${DATA:-../shared/data}
out=${OUT:-out}
nlp=${NLP:-bin/nlp}
sizes=${SIZES:-1000000 100000000}
text=$out/pipeline-bench.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$out"
if [ ! -s "$text" ]; then
  # head closes the pipe early: zcat's SIGPIPE is expected.
  (set +o pipefail; zcat "$data/imdb/unsup.txt.gz" | sed -e 's#<br */>#  #g' | head -c 5000000 > "$text.tmp")
  mv "$text.tmp" "$text"
fi

# timed LABEL CMD...: runs CMD under GNU time, prints its stderr's last line (the --stats line),
# wall and CPU seconds and max RSS.
timed() {
  local label=$1; shift
  /usr/bin/time -v "$@" > /dev/null 2> "$tmp/time" || { cat "$tmp/time"; return 1; }
  local wall user sys rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$tmp/time")
  user=$(awk -F': ' '/User time/ {print $2}' "$tmp/time")
  sys=$(awk -F': ' '/System time/ {print $2}' "$tmp/time")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$tmp/time")
  echo "$label: $(grep '^pipeline:' "$tmp/time" || true)"
  echo "$label: wall ${wall}s, cpu $(echo "$user + $sys" | bc)s, max RSS ${rss} MB"
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
timed "pipeline 5 MB" "$nlp" pipeline --stats "$text"
tokens=$(grep -o '[0-9]* tokens in' "$tmp/time" | cut -d' ' -f1)

# nlp tag on the same text, for the ratio.
t0=$(date +%s.%N)
"$nlp" tag --input text "$text" > /dev/null
t1=$(date +%s.%N)
awk -v t="$(echo "$t1 - $t0" | bc)" -v tok="$tokens" 'BEGIN { printf "nlp tag 5 MB: %.2fs, %.0f tokens/s\n", t, tok/t }'

for size in $sizes; do
  timed "pipeline stream $size bytes" sh -c "while cat '$text'; do :; done | head -c $size | '$nlp' pipeline --stats -"
done
