#!/usr/bin/env bash
# overlay validate vs yamllint (and a bare libyaml parse) on the same inputs, one run.
# Prints a markdown table. Needs .build/release/overlay (bench/run.sh builds it).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bin=.build/release/overlay
out=bench/out
mkdir -p "$out"
python3 bench/gen_overlay.py "$out/cron400" 400 50 0 >/dev/null
python3 bench/gen_overlay.py "$out/large" 1000 50 2000 >/dev/null

now() { date +%s.%N; }
time_it() { local s e; s=$(now); "$@" >/dev/null 2>&1 || true; e=$(now); echo "$e - $s" | bc; }
mb() { du -sb --exclude='*.md' "$1" | awk '{printf "%.1f", $1/1048576}'; }
files() { find "$1" -name '*.y*ml' | wc -l; }

echo "| input | files | MB | overlay validate (s) | MB/s | yamllint -d relaxed (s) | bare libyaml parse (s) | vs yamllint | vs libyaml |"
echo "|---|---|---|---|---|---|---|---|---|"
for name in repo cron400 large; do
    dir=$([ "$name" = repo ] && echo . || echo "$out/$name")
    # Warm the page cache so every tool reads from memory.
    find "$dir" -name '*.y*ml' -not -path '*/.build*' -not -path './bench/out/*' -not -path './Tests/*' -exec cat {} + >/dev/null
    # The inputs are valid: a timing of a run that stopped on errors would mean nothing.
    "$bin" validate --root "$dir" -q >/dev/null || { echo "$dir does not validate clean" >&2; exit 1; }
    t_ov=$(time_it "$bin" validate --root "$dir" --format json)
    if [ "$name" = repo ]; then
        targets=()
        for t in config.yaml policy cron inventory playbooks; do [ -e "$t" ] && targets+=("$t"); done
    else
        targets=(.)
    fi
    t_yl=$(cd "$dir" 2>/dev/null && time_it yamllint -d relaxed -f parsable "${targets[@]}")
    t_ly=$(time_it python3 bench/libyaml_parse.py "$dir")
    size=$(mb "$dir")
    n=$(files "$dir")
    if [ "$name" = repo ]; then
        size=$(find "${targets[@]}" -type f \( -name '*.y*ml' -o -name '*.json' \) -exec cat {} + | wc -c | awk '{printf "%.2f", $1/1048576}')
        n=$(find "${targets[@]}" -type f \( -name '*.y*ml' -o -name '*.json' \) | wc -l)
    fi
    case $name in
        repo) label="the example repo, $n files" ;;
        cron400) label="$n cron files, $size MB" ;;
        *) label="generated overlay, $n files, $size MB" ;;
    esac
    record_ratio validate "$label" "$t_ov" "yamllint -d relaxed" "$t_yl"
    printf "| %s | %s | %s | %.3f | %.0f | %.3f | %.3f | %.1f× faster | %.2f× |\n" "$name" "$n" "$size" "$t_ov" \
        "$(echo "$size / $t_ov" | bc -l)" "$t_yl" "$t_ly" "$(echo "$t_yl / $t_ov" | bc -l)" "$(echo "$t_ov / $t_ly" | bc -l)"
done
