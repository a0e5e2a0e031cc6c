#!/usr/bin/env bash
# Load test of `nlp serve` (issue 19): starts the server on 127.0.0.1 with the built-in models, drives
# it with scripts/serveload (vegeta, closed loop at exactly N clients) with EWT sentences of about 20
# words, stops it with SIGTERM and checks that it exits 0. Results go to stdout and to
# $OUT/bench-serve/MODE.txt.
#
#   levels (default)  /v1/tag raw text, /v1/tag pre-tokenized and /v1/classify at 1, 4, 16 and 64
#                     clients, each level N requests or D, whichever ends first, with batching on and
#                     then off (--no-batching): req/s, tokens/s, p50/p95/p99, errors, peak RSS;
#                     ROUNDS rounds (3) alternating on and off, then the medians over the rounds and
#                     the ratios of batching on to off.
#   soak              /v1/tag raw text at 16 clients for SOAK (5m), RSS every 10 s: flat or not.
#   100k              100,000 requests of /v1/tag raw text at 16 clients, then the server's RSS.
#
# Usage: scripts/bench-serve.sh [levels|soak|100k]
#   env: DATA=../shared/data OUT=out NLP=bin/nlp LOAD=bin/serveload ADDR=127.0.0.1:18080
#        N=2000 D=30s C=1,4,16,64 ROUNDS=3 SOAK=5m; QUICK=1 for a short check of the tooling
#        (N=200, D=5s, one round)
set -euo pipefail
mode=${1:-levels}
data=${DATA:-../shared/data}
out=${OUT:-out}
nlp=${NLP:-bin/nlp}
load=${LOAD:-bin/serveload}
addr=${ADDR:-127.0.0.1:18080}
if [ -n "${QUICK:-}" ]; then
  n=${N:-200} d=${D:-5s} soak=${SOAK:-40s} warmup=50 total=${TOTAL:-5000} rounds=${ROUNDS:-1}
else
  n=${N:-2000} d=${D:-30s} soak=${SOAK:-5m} warmup=200 total=${TOTAL:-100000} rounds=${ROUNDS:-3}
fi
conc=${C:-1,4,16,64}
ewt=$data/ud-english-ewt/en_ewt-ud-dev.conllu
# More in flight than the most clients, so that no level measures the server's 429s.
serve_flags=(--addr "$addr" --max-inflight 256)

case $mode in levels|soak|100k) ;; *) echo "bench-serve: unknown mode $mode (want levels, soak or 100k)" >&2; exit 2 ;; esac
for f in "$nlp" "$load"; do [ -x "$f" ] || { echo "bench-serve: $f missing (make build; go build -o bin/serveload ./scripts/serveload)" >&2; exit 1; }; done
[ -s "$ewt" ] || { echo "bench-serve: $ewt missing (DATA=$data)" >&2; exit 1; }
if curl -fsS -o /dev/null "http://$addr/healthz" 2>/dev/null; then
  echo "bench-serve: something already answers on $addr: set ADDR" >&2; exit 1
fi

mkdir -p "$out/bench-serve"
report=$out/bench-serve/$mode.txt
log=$out/bench-serve/server.log
pid=
# Whatever happens, the server does not outlive the script.
trap '[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; true' EXIT

# start_server FLAGS...: starts nlp serve and waits (at most 120 s) until /readyz answers 200.
start_server() {
  "$nlp" serve "${serve_flags[@]}" "$@" >> "$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 240); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "bench-serve: the server exited before it was ready; its log:" >&2; tail -20 "$log" >&2; exit 1
    fi
    curl -fsS -o /dev/null "http://$addr/readyz" 2>/dev/null && return 0
    sleep 0.5
  done
  echo "bench-serve: the server was not ready after 120 s" >&2; exit 1
}

# stop_server: SIGTERM, then the exit status must be 0 (a graceful shutdown).
stop_server() {
  kill -TERM "$pid"
  local rc=0
  wait "$pid" || rc=$?
  pid=
  if [ "$rc" -ne 0 ]; then
    echo "bench-serve: the server exited $rc after SIGTERM, not 0; its log:" >&2; tail -20 "$log" >&2; exit 1
  fi
  echo "server stopped by SIGTERM: exit 0" | tee -a "$report"
}

{
  echo "# bench-serve $mode, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# $("$nlp" version 2>/dev/null | head -1)"
} | tee "$report"
: > "$log"

case $mode in
levels)
  # Rounds alternate the two settings, a fresh server each, so that a slow spell of the machine
  # falls on both; the summary gives the medians over the rounds and the ratios on/off.
  rows=$out/bench-serve/levels.jsonl
  : > "$rows"
  for round in $(seq 1 "$rounds"); do
    for batching in on off; do
      echo "## round $round/$rounds, batching $batching" | tee -a "$report"
      flags=()
      [ "$batching" = off ] && flags=(--no-batching)
      start_server "${flags[@]}"
      "$load" -url "http://$addr" -ewt "$ewt" -pid "$pid" -mode levels -label "batching=$batching" -json "$rows" \
        -routes tag-text,tag-tokens,classify -c "$conc" -n "$n" -d "$d" -warmup "$warmup" | tee -a "$report"
      stop_server
    done
  done
  echo | tee -a "$report"
  "$load" -mode summary -json "$rows" | tee -a "$report"
  ;;
soak)
  start_server
  "$load" -url "http://$addr" -ewt "$ewt" -pid "$pid" -mode soak -routes tag-text -c "${C:-16}" -d "$soak" \
    -warmup "$warmup" | tee -a "$report"
  stop_server
  ;;
100k)
  start_server
  "$load" -url "http://$addr" -ewt "$ewt" -pid "$pid" -mode total -routes tag-text -c "${C:-16}" -n "$total" -d 2h \
    -warmup "$warmup" | tee -a "$report"
  stop_server
  ;;
esac
echo "report: $report"
