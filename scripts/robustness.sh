#!/usr/bin/env bash
# The slow part of the robustness suite (issue 17; the fast part is cmd/nlp's TestHostileInputs):
# generates large hostile inputs, runs the commands on each under /usr/bin/time -v and a timeout, and
# checks each outcome against its bound: no panic or fatal error, the documented exit status, peak
# memory and wall time under the bound, no temp file left beside the output. Prints a markdown table
# (RELIABILITY.md) and exits non-zero if a row fails.
#
# Usage: NLP=bin/nlp scripts/robustness.sh [WORKDIR]
set -uo pipefail
NLP=${NLP:-bin/nlp}
W=${1:-$(mktemp -d)}
mkdir -p "$W"
fail=0

# gen NAME COMMAND...: writes the command's stdout to $W/NAME once.
gen() { local n=$1; shift; [ -s "$W/$n" ] || "$@" > "$W/$n"; }
gen punct100k.txt python3 -c "print('.'*100000)"
gen quotes100k.txt python3 -c "print('\"'*100000)"
gen paren100k.txt python3 -c "print('('*100000)"
gen sent1m.txt python3 -c "print(' '.join(['film']*1000000))"
gen sent1m.conllu python3 -c "
import sys
sys.stdout.write(''.join('%d\\tfilm\\t_\\t_\\t_\\t_\\t_\\t_\\t_\\t_\\n' % (i+1) for i in range(1000000)) + '\\n')"
gen line50m.txt python3 -c "import sys; sys.stdout.write('word '*10000000)"
gen longline.conllu python3 -c "
import sys
sys.stdout.write('1\\t' + 'x'*2000000 + '\\t_\\t_\\t_\\t_\\t_\\t_\\t_\\t_\\n\\n')"
gen lines35m.txt python3 -c "
import random
random.seed(1)
w='a gorgeous moving film the plot is a dull mess and it never ends well'.split()
for i in range(700000): print(' '.join(random.choice(w) for _ in range(8)))"
gen nul.txt printf 'one line\nwith a \0 byte\n'
gen utf8.txt printf 'good\nbad \xff line\n'
gen bom.conllu printf '\xef\xbb\xbf1\tA\t_\t_\t_\t_\t_\t_\t_\t_\n\n'
gen comments.conllu printf '# sent_id = 1\n# text = nothing\n\n'

echo "| input | command | want exit | exit | wall s (bound) | max RSS MB (bound) | verdict |"
echo "|---|---|---|---|---|---|---|"
# row INPUT WANT_EXIT WALL_BOUND RSS_BOUND_MB STDIN(yes/no) ARGS...: runs nlp ARGS (on INPUT as stdin when
# STDIN is yes), checks the bounds and prints a row. WANT_EXIT is 0, or "!0" for an error.
row() {
	local in=$1 want=$2 wall=$3 rss=$4 stdin=$5; shift 5
	local t="$W/time.txt" err="$W/stderr.txt" out="$W/out"
	rm -f "$out" "$W"/.out.tmp-* "$W"/..out*
	if [ "$stdin" = yes ]; then
		timeout 120 /usr/bin/time -v -o "$t" "$NLP" "$@" < "$W/$in" > /dev/null 2> "$err"
	else
		timeout 120 /usr/bin/time -v -o "$t" "$NLP" "$@" > /dev/null 2> "$err"
	fi
	local code=$?
	local secs kb
	secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$t" 2>/dev/null)
	kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$t" 2>/dev/null)
	local mb=$(( ${kb:-0} / 1024 )) verdict=ok
	if [ "$want" = 0 ] && [ "$code" != 0 ]; then verdict="FAIL: exit"; fi
	if [ "$want" = '!0' ] && [ "$code" = 0 ]; then verdict="FAIL: no error"; fi
	if [ "$code" = 124 ]; then verdict="FAIL: timeout"; fi
	if grep -q -e '^panic' -e 'fatal error' -e '^goroutine ' "$err"; then verdict="FAIL: crash"; fi
	if awk -v s="${secs:-999}" -v b="$wall" 'BEGIN {exit !(s > b)}'; then verdict="FAIL: time"; fi
	if [ "$mb" -gt "$rss" ]; then verdict="FAIL: memory"; fi
	if ls -a "$W" | grep -q '\.tmp-'; then verdict="FAIL: temp file left"; fi
	[ "$verdict" = ok ] || fail=1
	echo "| $in | \`nlp $*\` | $want | $code | ${secs:-?} ($wall) | $mb ($rss) | $verdict |"
}

row punct100k.txt 0 2 400 no tag "$W/punct100k.txt"
row punct100k.txt 0 2 400 no pipeline "$W/punct100k.txt"
row punct100k.txt 0 2 400 yes classify -
row quotes100k.txt 0 2 400 no pipeline "$W/quotes100k.txt"
row paren100k.txt 0 2 400 no pipeline "$W/paren100k.txt"
row sent1m.txt '!0' 10 400 no tag "$W/sent1m.txt"
row sent1m.txt 0 120 400 no tag --max-line 8388608 "$W/sent1m.txt"
row sent1m.conllu 0 120 400 no tag "$W/sent1m.conllu"
row sent1m.conllu 0 120 400 no pipeline "$W/sent1m.conllu"
row sent1m.conllu 0 120 400 no pipeline --format conllu "$W/sent1m.conllu"
row longline.conllu '!0' 10 400 no tag "$W/longline.conllu"
row line50m.txt '!0' 60 400 no tag "$W/line50m.txt"
row lines35m.txt 0 120 300 yes classify -
row nul.txt '!0' 5 400 no tag "$W/nul.txt"
row nul.txt '!0' 5 400 yes classify -
row utf8.txt '!0' 5 400 no pipeline "$W/utf8.txt"
row bom.conllu 0 5 400 no tag "$W/bom.conllu"
row comments.conllu '!0' 5 400 no tag "$W/comments.conllu"
row punct100k.txt 0 10 400 no pipeline --out "$W/out" "$W/punct100k.txt"
row utf8.txt '!0' 10 400 no pipeline --out "$W/out" "$W/utf8.txt"
exit $fail
