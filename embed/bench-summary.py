"""Summarises embed/bench.sh runs (OUT/runs.tsv) as the markdown table of BENCHMARKS.md:
medians over rounds of wall seconds, CPU seconds and scores, and the median over rounds
of each time's ratio to word2vec C's for the same objective in the same round. Usage: python3 embed/bench-summary.py OUT/runs.tsv"""
import statistics
import sys

LABELS = [
    ("c-ns", "word2vec C, skip-gram NS", "c-ns"),
    ("c-hs", "word2vec C, skip-gram HS", "c-hs"),
    ("gensim-ns", "gensim 4, skip-gram NS", "c-ns"),
    ("fasttext-ns", "fastText 0.9, skip-gram NS, no subwords", "c-ns"),
    ("wego-naive-ns", "wego, NS, used naively (its own command)", "c-ns"),
    ("wego-ns", "wego engine, NS, stream pre-subsampled", "c-ns"),
    ("wego-hs", "wego engine, HS, stream pre-subsampled", "c-hs"),
    ("native-ns", "native engine, skip-gram NS", "c-ns"),
    ("native-hs", "native engine, skip-gram HS", "c-hs"),
    ("native-ns-1thread", "native engine, skip-gram NS, 1 thread", "c-ns"),
    ("native-hs-1thread", "native engine, skip-gram HS, 1 thread", "c-hs"),
    ("c-cbow-ns", "word2vec C, CBOW NS", "c-cbow-ns"),
    ("native-cbow-ns", "native engine, CBOW NS", "c-cbow-ns"),
]

runs = {}
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("\t")
    if len(f) == 7:  # rows written before the CPU time was recorded
        f.insert(3, "nan")
    if len(f) != 8:
        continue
    name, rnd, wall, cpu, vocab, ws, sl, an = f
    runs.setdefault(name, []).append((float(wall), float(cpu), int(vocab), float(ws), float(sl), float(an), rnd))


def med(name, k):
    xs = [r[k] for r in runs[name] if r[k] == r[k]]  # NaN-free
    return statistics.median(xs) if xs else float("nan")


def paired(name, ref, k):
    """Median over rounds of name's time over ref's time in the same round (runs in turn)."""
    by_round = {r[6]: r[k] for r in runs.get(ref, [])}
    xs = [r[k] / by_round[r[6]] for r in runs[name] if r[6] in by_round and r[k] == r[k] and by_round[r[6]] == by_round[r[6]]]
    return statistics.median(xs) if xs else float("nan")


print("| trainer | runs | wall s | wall × C | CPU s | CPU × C | WordSim353 ρ | SimLex-999 ρ | analogy | vocabulary |")
print("|---|---|---|---|---|---|---|---|---|---|")
known = {n for n, _, _ in LABELS}
rows = LABELS + [(n, n, n.split("@")[0].replace("native", "c").replace("-1thread", "")) for n in runs if n not in known]
for name, label, ref in rows:
    if name not in runs:
        continue
    print(f"| {label} | {len(runs[name])} | {med(name, 0):.1f} | {paired(name, ref, 0):.2f} | {med(name, 1):.1f} | "
          f"{paired(name, ref, 1):.2f} | {med(name, 3):.3f} | {med(name, 4):.3f} | {100 * med(name, 5):.1f}% | {runs[name][0][2]:,} |")
