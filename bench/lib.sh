# Shared by the bench/<area>.sh scripts (source it after `cd` to the repo root).
#
# Every measurement a script prints in its markdown table is also appended as one JSON line
# to bench/out/results.jsonl (or $BENCH_RESULTS), which bench/charts.py turns into the
# charts of docs/benchmarks.md. Records carry the run (one `make bench`, or one script run),
# the commit, the time and the machine's load average, so a chart can say what it shows.
#   {"kind": "ratio", "area", "label", "overlay_s", "peer", "peer_s"}   overlay vs its peer
#   {"kind": "converge-scale", "layout", "forks", "hosts", "step", "seconds"}
#   {"kind": "point", "area", "label", "seconds"}                       a time on its own
#   {"kind": "memory", "area", "label", "peak_mb", "input_mb"}          peak RSS beside the input

results_file="${BENCH_RESULTS:-$PWD/bench/out/results.jsonl}"
bench_run="${BENCH_RUN:-$(date -u +%Y-%m-%dT%H:%M:%SZ)}"
bench_commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
mkdir -p "$(dirname "$results_file")"

# A number as JSON writes it (bc prints `.5`, which JSON refuses).
json_number() { awk -v x="$1" 'BEGIN { printf "%.6g", x + 0 }'; }

# Appends one record; the arguments are its own fields, already JSON (`"k": v, ...`).
# Labels are the scripts' own literals: no quotes or backslashes in them.
record() {
    printf '{"run": "%s", "time": "%s", "commit": "%s", "load": %s, %s}\n' "$bench_run" \
        "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$bench_commit" "$(cut -d' ' -f1 /proc/loadavg)" "$*" >> "$results_file"
}

# record_ratio AREA LABEL OVERLAY_SECONDS PEER PEER_SECONDS
record_ratio() {
    record "$(printf '"kind": "ratio", "area": "%s", "label": "%s", "overlay_s": %s, "peer": "%s", "peer_s": %s' \
        "$1" "$2" "$(json_number "$3")" "$4" "$(json_number "$5")")"
}

# record_point AREA LABEL SECONDS
record_point() {
    record "$(printf '"kind": "point", "area": "%s", "label": "%s", "seconds": %s' "$1" "$2" "$(json_number "$3")")"
}

# record_memory AREA LABEL PEAK_RSS_MB INPUT_MB   a run's peak resident memory beside its input
record_memory() {
    record "$(printf '"kind": "memory", "area": "%s", "label": "%s", "peak_mb": %s, "input_mb": %s' \
        "$1" "$2" "$(json_number "$3")" "$(json_number "$4")")"
}
