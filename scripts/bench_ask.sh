#!/usr/bin/env bash
# The question benchmark: builds a reproducible set of who-said, when and where questions
# from a store's own quotes and events, times each as a whole `annals ask` process, and
# prints the spread. Usage:
#
#   scripts/bench_ask.sh DB [QUESTIONS] [RUNS]
#
# QUESTIONS (default 160, at most) are half who-said (a window of two to five words from every
# k-th stored quote, at a position fixed by the quote's id), half event questions (every
# distinct event label as "when was the LABEL", with its first place when it has one,
# and "where was the LABEL"; fewer when the store has few labels). Each question runs RUNS times (default 7); its median is its time. It prints
# the ten slowest questions and a summary line: the count, the median, the 90th
# percentile, the maximum and how many took under 50 ms; every question's time is in
# ${TMPDIR:-/tmp}/annals-bench-ask.txt.
# Needs python3 and a release build (`cargo build --release`); the timing is
# scripts/time_ask.sh's.
set -euo pipefail
db=$1
want=${2:-160}
runs=${3:-7}
bin="$(dirname "$0")/../target/release/annals"
questions=$(mktemp)
trap 'rm -f "$questions" "$questions".q "$questions".e' EXIT
"$bin" --db "$db" quotes --json > "$questions".q
"$bin" --db "$db" events --json > "$questions".e
python3 - "$questions".q "$questions".e "$want" > "$questions" <<'EOF'
import json, re, sys
quotes = json.load(open(sys.argv[1]))
events = json.load(open(sys.argv[2]))
want = int(sys.argv[3])
out = []
# Who said: every k-th quote with at least two words, a window fixed by its id.
usable = [q for q in quotes if len(re.findall(r"\w+", q["text"])) >= 2]
step = max(1, len(usable) // max(1, want // 2))
for q in usable[::step][: want // 2]:
    words = re.findall(r"[\w’']+", q["text"])
    n = int(q["id"][1:])
    size = min(len(words), 2 + n % 4)
    start = n % (len(words) - size + 1)
    out.append("who said " + " ".join(words[start:start + size]))
# Events: each label once (in id order), with a place when it has one, then where.
labels, placed = [], {}
for e in events:
    if e["label"] not in placed:
        labels.append(e["label"])
        placed[e["label"]] = None
    if placed[e["label"]] is None and e.get("place_names"):
        placed[e["label"]] = e["place_names"][0]
event_qs = []
for label in labels:
    event_qs.append(f"when was the {label}")
    if placed[label]:
        event_qs.append(f"when was the {label} in {placed[label]}")
    event_qs.append(f"where was the {label}")
step = max(1, len(event_qs) // max(1, want - len(out)))
out.extend(event_qs[::step][: want - len(out)])
print("\n".join(out))
EOF
report="${TMPDIR:-/tmp}/annals-bench-ask.txt"
mapfile -t asked < "$questions"
"$(dirname "$0")/time_ask.sh" "$db" "$runs" -- "${asked[@]}" > "$report"
sort -n "$report" | tail -10
sort -n "$report" | awk '{ t[NR] = $1 } END {
  under = 0; for (i = 1; i <= NR; i++) if (t[i] < 50) under++
  printf "%d questions: median %d ms, p90 %d ms, max %d ms, %d under 50 ms\n",
    NR, t[int((NR + 1) / 2)], t[int(NR * 0.9 + 0.5)], t[NR], under }'
echo "per question: $report"
