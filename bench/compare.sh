#!/usr/bin/env bash
# Two overlay binaries side by side on the validate and inventory inputs, interleaved run by
# run so that both see the same machine (the numbers of a busy machine still compare):
# best wall of N, CPU of that run, peak RSS. Prints a markdown table.
# usage: bench/compare.sh OLD_BINARY NEW_BINARY [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/measure.sh
old=$1 new=$2 runs=${3:-7}
out=bench/out
mkdir -p "$out"
[ -d "$out/cron400" ] || python3 bench/gen_overlay.py "$out/cron400" 400 50 0 >/dev/null
[ -d "$out/large" ] || python3 bench/gen_overlay.py "$out/large" 1000 50 2000 >/dev/null
[ -d "$out/inventory5000" ] || python3 bench/gen_inventory.py "$out/inventory5000" 5000 200 >/dev/null
mkdir -p "$out/empty"

# One run: "WALL CPU RSS_KB".
# A run that finds problems exits 1 (the empty folder does): still a complete run to time.
one() { { /usr/bin/time -f '%e %U %S %M' "$@" 2>&1 >/dev/null </dev/null || true; } | tail -1 | awk '{ print $1, $2 + $3, $4 }'; }

echo "| work | old wall (s) | new wall (s) | old CPU (s) | new CPU (s) | old peak RSS (MB) | new peak RSS (MB) | wall: new ÷ old |"
echo "|---|---|---|---|---|---|---|---|"
while IFS='|' read -r label args; do
    read -ra argv <<<"$args"
    bo="" bn=""
    for _ in $(seq "$runs"); do
        for side in old new; do
            bin=$([ $side = old ] && echo "$old" || echo "$new")
            r=$(one "$bin" "${argv[@]}")
            w=${r%% *}
            if [ $side = old ]; then
                if [ -z "$bo" ] || [ "$(echo "$w < ${bo%% *}" | bc)" = 1 ]; then bo=$r; fi
            else
                if [ -z "$bn" ] || [ "$(echo "$w < ${bn%% *}" | bc)" = 1 ]; then bn=$r; fi
            fi
        done
    done
    read -r wo co mo <<<"$bo"
    read -r wn cn mn <<<"$bn"
    # /usr/bin/time counts in 10 ms: a run under that has no ratio.
    ratio=$([ "$(echo "$wo > 0" | bc)" = 1 ] && printf "%.2f" "$(echo "$wn / $wo" | bc -l)" || echo "—")
    printf "| %s | %.2f | %.2f | %.2f | %.2f | %.0f | %.0f | %s |\n" "$label" "$wo" "$wn" "$co" "$cn" \
        "$(echo "$mo / 1024" | bc -l)" "$(echo "$mn / 1024" | bc -l)" "$ratio"
done <<EOT
validate, empty folder|validate --root $out/empty --format json
validate, 405 cron files (4.2 MB)|validate --root $out/cron400 --format json
validate, 3,006 files (19.6 MB)|validate --root $out/large --format json
inventory --list, 5,000 hosts|inventory -i $out/inventory5000/hosts.yml --list
EOT
echo
echo "Load average: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores)."
