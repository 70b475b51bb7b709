#!/usr/bin/env bash
# overlay validate against yamllint and against the floor (bench/libyaml_floor.c: libyaml
# events only, no tree, one core) on the same inputs, in one run; peak RSS from
# /usr/bin/time -v. Prints a markdown table. Needs .build/release/overlay (bench/run.sh builds it).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
source bench/measure.sh
bin=.build/release/overlay
out=bench/out
mkdir -p "$out"
floor=$(floor_bin)
python3 bench/gen_overlay.py "$out/cron400" 400 50 0 >/dev/null
python3 bench/gen_overlay.py "$out/large" 1000 50 2000 >/dev/null
rm -rf "$out/empty" && mkdir -p "$out/empty"

mb() { find "$@" -type f \( -name '*.y*ml' -o -name '*.json' -o -name '*.md' \) -exec cat {} + | wc -c | awk '{printf "%.2f", $1/1048576}'; }
files() { find "$@" -type f \( -name '*.y*ml' -o -name '*.json' -o -name '*.md' \) | wc -l; }
ratio() { echo "$1 / $2" | bc -l; }

# Start-up: an empty folder is a complete (failing) run with nothing to read.
t_empty=$(best_wall 20 "$bin" validate --root "$out/empty" --format json)
record_point validate "start-up, empty repo" "$t_empty"
printf 'Start-up (`overlay validate` of an empty folder, best of 20): %.1f ms\n\n' "$(echo "$t_empty * 1000" | bc -l)"

echo "| input | files | MB | overlay wall (s) | overlay CPU (s) | peak RSS (MB) | RSS ÷ input | C libyaml floor, 1 core (s) | overlay ÷ floor | yamllint -d relaxed (s) | × yamllint |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for name in repo cron400 large; do
    dir=$([ "$name" = repo ] && echo . || echo "$out/$name")
    if [ "$name" = repo ]; then
        targets=()
        for t in config.yaml SOUL.md policy cron inventory playbooks; do [ -e "$t" ] && targets+=("$t"); done
    else
        targets=(.)
    fi
    # Warm the page cache so every tool reads from memory.
    (cd "$dir" && find "${targets[@]}" -type f -exec cat {} + >/dev/null)
    # The inputs are valid: a timing of a run that stopped on errors would mean nothing.
    "$bin" validate --root "$dir" -q >/dev/null || { echo "$dir does not validate clean" >&2; exit 1; }
    read -r _ c_ov rss_kb < <(best_run 5 "$bin" validate --root "$dir" --format json)
    t_ov=$(best_wall 7 "$bin" validate --root "$dir" --format json)
    # The floor reads the same YAML files overlay parses (the repo: only the folders it reads).
    if [ "$name" = repo ]; then
        t_fl=$(best_wall 7 sh -c 'for t in "$@"; do "'"$floor"'" "$t"; done' floor "${targets[@]}")
    else
        t_fl=$(best_wall 7 "$floor" "$dir")
    fi
    t_yl=$(cd "$dir" && best_wall 1 yamllint -d relaxed -f parsable "${targets[@]}")
    size=$(cd "$dir" && mb "${targets[@]}")
    n=$(cd "$dir" && files "${targets[@]}")
    rss=$(echo "$rss_kb / 1024" | bc -l)
    case $name in
        repo) label="the example repo, $n files" ;;
        cron400) label="$n cron files, $size MB" ;;
        *) label="generated overlay, $n files, $size MB" ;;
    esac
    record_ratio validate "$label" "$t_ov" "yamllint -d relaxed" "$t_yl"
    record_ratio validate "$label" "$t_ov" "C libyaml events, 1 core" "$t_fl"
    record_memory validate "$label" "$rss" "$size"
    printf "| %s | %s | %s | %.3f | %.2f | %.0f | %.1f× | %.3f | %.2f× | %.1f | **%.0f×** |\n" "$name" "$n" "$size" "$t_ov" "$c_ov" \
        "$rss" "$(ratio "$rss" "$size")" "$t_fl" "$(ratio "$t_ov" "$t_fl")" "$t_yl" "$(ratio "$t_yl" "$t_ov")"
done
echo
echo "Load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores; above ~1 the numbers are provisional)."
