#!/usr/bin/env bash
# Times `annals ask` as a whole process (start, open the store, answer, exit), the way a
# user runs it: each question RUNS times (default 11), printing the median and the
# fastest wall time in milliseconds. Usage:
#
#   scripts/time_ask.sh DB [RUNS] -- "question one" "question two" ...
#
# The binary is target/release/annals (build it first with `cargo build --release`).
set -euo pipefail
db=$1; shift
runs=11
if [ "${1:-}" != "--" ]; then runs=$1; shift; fi
[ "${1:-}" = "--" ] && shift
bin="$(dirname "$0")/../target/release/annals"
for q in "$@"; do
  times=()
  for _ in $(seq "$runs"); do
    s=$(date +%s%N)
    "$bin" --db "$db" ask "$q" > /dev/null
    e=$(date +%s%N)
    times+=($(( (e - s) / 1000000 )))
  done
  sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  printf '%6s ms median %6s ms min  %s\n' "${sorted[$(( runs / 2 ))]}" "${sorted[0]}" "$q"
done
