#!/usr/bin/env bash
# Median-of-N comparison behind the figures in bench/README.md: `./h2sim bench phold` on 1 and 2
# partitions and `./h2sim bench naive`, each run in its own process, interleaved so that noise
# from other work on the machine falls on all three alike. Prints events/s, the ratios, and the
# trace hash of every PHOLD run (it must not change with the partition count).
#   RUNS=3 EVENTS=5000000 SEED=7 bench/compare.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${RUNS:-3}"
events="${EVENTS:-5000000}"
seed="${SEED:-7}"

"$root/h2sim" --version >/dev/null # builds once, before anything is timed

field() { sed -n "s/^ *\"$1\": \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}$/\1/p"; }
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

one=() two=() naive=() hashes=()
for run in $(seq "$runs"); do
    for partitions in 1 2; do
        json="$("$root/h2sim" bench phold --events "$events" --seed "$seed" --partitions "$partitions" --json)"
        rate="$(field eventsPerSecond <<<"$json")"
        hashes+=("$partitions:$(field traceHash <<<"$json")")
        if [[ "$partitions" == 1 ]]; then one+=("$rate"); else two+=("$rate"); fi
    done
    naive+=("$(field eventsPerSecond <<<"$("$root/h2sim" bench naive --events "$events" --seed "$seed" --json)")")
    echo "run $run: phold 1 partition ${one[-1]}/s, 2 partitions ${two[-1]}/s, naive ${naive[-1]}/s" >&2
done

m1="$(median "${one[@]}")" m2="$(median "${two[@]}")" mn="$(median "${naive[@]}")"
awk -v m1="$m1" -v m2="$m2" -v mn="$mn" -v runs="$runs" -v events="$events" 'BEGIN {
    printf "median of %d runs, --events %d\n", runs, events
    printf "  phold, 1 partition   %12.0f events/s\n", m1
    printf "  phold, 2 partitions  %12.0f events/s   (%.2fx 1 partition)\n", m2, m2 / m1
    printf "  naive Akka           %12.0f events/s   (phold 1 partition is %.2fx, 2 partitions %.2fx)\n", mn, m1 / mn, m2 / mn
}'
echo "trace hashes (partitions:hash): ${hashes[*]}"
