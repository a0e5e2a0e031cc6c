#!/usr/bin/env bash
# nlp-beam on the Prism runner (in-process) against nlp on the same input, on this machine:
#   1. nlp pipeline on $MB MB of IMDB reviews (one review a line, "<br />" removed, as bench-pipeline.sh);
#   2. nlp-beam pipeline on the same file (one shard; records reshuffled, then annotated);
#   3. nlp-beam pipeline --no-reshuffle (annotated where read: no shuffle of the records);
#   4. nlp-beam pipeline on the same text cut into 4 gzipped shards;
#   5. nlp datasets vocab and nlp-beam vocab --lower on the same text.
# Each run prints tokens/s (its stats line), wall and CPU seconds and max RSS (GNU time -v).
#
# Usage: scripts/bench-beam.sh   (env: DATA=../shared/data OUT=out NLP=bin/nlp NLPBEAM=bin/nlp-beam MB=2)
set -euo pipefail
data=${DATA:-../shared/data}
out=${OUT:-out}
nlp=${NLP:-bin/nlp}
nlpbeam=${NLPBEAM:-bin/nlp-beam}
mb=${MB:-2}
text=$out/beam-bench-${mb}mb.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$out"
if [ ! -s "$text" ]; then
  (set +o pipefail; zcat "$data/imdb/unsup.txt.gz" | sed -e 's#<br */>#  #g' | head -c $((mb * 1000000)) | sed '$d' > "$text.tmp")
  mv "$text.tmp" "$text"
fi
echo "input: $text, $(wc -c < "$text") bytes, $(wc -l < "$text") lines"

timed() {
  local label=$1; shift
  /usr/bin/time -v "$@" > /dev/null 2> "$tmp/time" || { cat "$tmp/time"; return 1; }
  local wall user sys rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$tmp/time")
  user=$(awk -F': ' '/User time/ {print $2}' "$tmp/time")
  sys=$(awk -F': ' '/System time/ {print $2}' "$tmp/time")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$tmp/time")
  echo "$label: $(grep -E '^(pipeline|nlp-beam)' "$tmp/time" | tail -1 || true)"
  echo "$label: wall ${wall}s, cpu $(echo "$user + $sys" | bc)s, max RSS ${rss} MB"
}

timed "nlp pipeline" "$nlp" pipeline --stats "$text"
timed "nlp-beam pipeline" "$nlpbeam" pipeline --input "$text" --output "$tmp/beam"
timed "nlp-beam pipeline --no-reshuffle" "$nlpbeam" pipeline --no-reshuffle --input "$text" --output "$tmp/beam-nr"
cat "$tmp"/beam-0*.jsonl | wc -l | sed 's/^/nlp-beam pipeline: sentences written: /'
mkdir -p "$tmp/shards"
split -n l/4 -d "$text" "$tmp/shards/part-"
for f in "$tmp"/shards/part-*; do gzip "$f"; done
timed "nlp-beam pipeline, 4 gzipped shards" "$nlpbeam" pipeline --input "$tmp/shards/part-*" --output "$tmp/beam-sh"
timed "nlp datasets vocab --lower" "$nlp" datasets vocab --lower --out "$tmp/vocab-nlp.txt" "$text"
timed "nlp-beam vocab --lower" "$nlpbeam" vocab --lower --input "$text" --output "$tmp/vocab-beam.txt"
cmp "$tmp/vocab-nlp.txt" "$tmp/vocab-beam.txt" && echo "vocab: nlp-beam's file is nlp datasets vocab's, byte for byte"
