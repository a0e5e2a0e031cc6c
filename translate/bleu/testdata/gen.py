#!/usr/bin/env python3
"""Writes the expected values of the bleu tests with the reference implementation,
../shared/bench/bleu.py (its tok and bleu are copied below verbatim), under
Python 3.11 (Unicode 14.0). Run from this directory: python3 gen.py
  tokens.json   bleu.py's tok (lower-cased) and the same regexp without lower() on tricky strings
  unicode.txt   Python's \\w, \\s, str.lower() and the Final_Sigma contexts over every assigned code point
  scores.json   bleu.py's bleu() at full precision on bleu.json's cases and on small hand-made ones
"""
import json, math, re, unicodedata
from collections import Counter

def tok(s):
    return re.findall(r"\w+(?:[-']\w+)*|[^\w\s]", s.lower())

def bleu(hyps, refs, n=4):
    match, total = [0] * n, [0] * n
    c = r = 0
    for h, ref in zip(hyps, refs):
        c += len(h); r += len(ref)
        for k in range(1, n + 1):
            hc = Counter(tuple(h[i:i + k]) for i in range(len(h) - k + 1))
            rc = Counter(tuple(ref[i:i + k]) for i in range(len(ref) - k + 1))
            match[k - 1] += sum(min(v, rc[g]) for g, v in hc.items())
            total[k - 1] += max(len(h) - k + 1, 0)
    if min(match) == 0:
        return 0.0
    logp = sum(math.log(m / t) for m, t in zip(match, total)) / n
    bp = 1.0 if c > r else math.exp(1 - r / c)
    return 100 * bp * math.exp(logp)

STRINGS = [
    "Ein Hund läuft über die Straße.",
    "GROSSE Straße, große Füße; ÄÖÜ äöü ẞ",
    "Don't stop -- it's John's e-mail: rock-'n'-roll, 'quoted' and -dash- words-",
    "The 3.5-year-old paid $1,000.50 (approx.) at 10:30am on 2016-05-01!",
    "Ein 12-jähriger Junge spielt Fußball.",
    "Un garçon et l'homme d'affaires à côté de l'église, « très » bien…",
    "emoji 😀👍🏽 family 👨‍👩‍👧 and flags 🇩🇪!",
    "中文的句子，日本語の文です。한국어 문장",
    "Arabic digits ٣٤٥ and Devanagari ५६ and fullwidth １２３ ＡＢＣ",
    "superscripts x² ½ Ⅻ ① and under_score __init__ a_b-c'd",
    "İstanbul ΟΔΟΣ ΟΔΟΣ. Σ ΑΣ' ΑΣ-Β ὈΔΥΣΣΕΎΣ",
    "combining: e\u0301cole cafe\u0301 n\u0303 and ﬁ ligature ŉ",
    "tabs\tand\u00a0nbsp\u2009thin\u3000ideographic\u2028sep\x1cfs\x85nel",
    "zero\u200bwidth soft\u00adhyphen bidi\u200emark",
    "quotes “curly” „German“ ‚single‘ 'straight' \"double\" ’tis",
    "--- ... !!! ??? a--b a''b 'a' -a a- a-'b",
    "",
    "   ",
    "Mixed CASE WoRdS and Title Case",
]

def sigma_contexts():
    """The Final_Sigma test of str.lower: 'ς' or 'σ' for Σ in three contexts around x."""
    final = lambda s, i: s.lower()[i] == "\u03c2"
    ign, cased = [], []
    for c in range(0x110000):
        ch = chr(c)
        if unicodedata.category(ch) == "Cn" or ch == "\u03a3":
            continue
        t1 = final(ch + "\u03a3", -1)          # not ignorable and cased
        t2 = final("A" + ch + "\u03a3", -1)    # ignorable or cased
        t3 = final("A\u03a3" + ch, len(("A\u03a3" + ch).lower()) - len(ch.lower()) - 1)  # ignorable or not cased
        if t2 and t3:
            ign.append(c)
        elif t1:
            cased.append(c)
    return ign, cased

def ranges(cps):
    out, start, prev = [], None, None
    for c in cps:
        if start is None:
            start = prev = c
        elif c == prev + 1:
            prev = c
        else:
            out.append((start, prev)); start = prev = c
    if start is not None:
        out.append((start, prev))
    return " ".join(f"{a:X}-{b:X}" for a, b in out)

def main():
    cased = [re.findall(r"\w+(?:[-']\w+)*|[^\w\s]", s) for s in STRINGS]
    with open("tokens.json", "w", encoding="utf-8") as f:
        json.dump({"python": "3.11 (Unicode %s)" % unicodedata.unidata_version,
                   "cases": [{"text": s, "tok": tok(s), "cased": c} for s, c in zip(STRINGS, cased)]},
                  f, ensure_ascii=False, indent=1)
    assigned = [c for c in range(0x110000) if unicodedata.category(chr(c)) != "Cn"]
    word = [c for c in assigned if re.match(r"\w", chr(c))]
    space = [c for c in assigned if re.match(r"\s", chr(c))]
    ign, cas = sigma_contexts()
    with open("unicode.txt", "w", encoding="utf-8") as f:
        f.write("# Python %s re and str.lower, Unicode %s; written by gen.py\n" % ("3.11", unicodedata.unidata_version))
        f.write("assigned " + ranges(assigned) + "\n")
        f.write("word " + ranges(word) + "\n")
        f.write("space " + ranges(space) + "\n")
        f.write("ignorable " + ranges(ign) + "\n")
        f.write("cased " + ranges(cas) + "\n")
        for c in assigned:
            l = chr(c).lower()
            if l != chr(c) and c != 0x3A3:
                f.write("lower %X %s\n" % (c, " ".join("%X" % ord(x) for x in l)))
    ref = json.load(open("bleu.json"))
    refs = [r.split() for r in ref["references"]]
    scores = []
    for case in ref["cases"]:
        scores.append({"name": case["name"], "bleu": bleu([h.split() for h in case["hypotheses"]], refs)})
    hand = [
        ("short sentences", ["the cat sat", "a", "on the mat today ok"], ["the cat sat down", "a b", "on the mat today"]),
        ("repeated words clipped", ["the the the the the the the"], ["the cat is on the mat"]),
        ("longer than reference", ["a b c d e f g h"], ["a b c d e f"]),
        ("no 4-gram match", ["a b c x d e"], ["a b c y d e"]),
        ("empty hypothesis", [""], ["a b c d"]),
    ]
    for name, h, r in hand:
        scores.append({"name": name, "hypotheses": h, "references": r,
                       "bleu": bleu([x.split() for x in h], [x.split() for x in r])})
    with open("scores.json", "w", encoding="utf-8") as f:
        json.dump(scores, f, indent=1)

main()
