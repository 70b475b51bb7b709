#!/usr/bin/env bash
# Builds the release binary, runs every benchmark against its real peer in one run, and
# draws the charts of docs/benchmarks.md from what they measured (one command: `make bench`).
# The markdown tables are printed and kept in bench/out/<area>.md; every measurement is also
# appended to bench/out/results.jsonl (bench/lib.sh), from which bench/charts.sh redraws
# docs/img/converge-scaling.svg and docs/img/speedups.svg.
# BENCH_AREAS picks some of the areas (default: all, in this order). An area that fails is
# reported and the others still run; the exit status is then 1.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v bc >/dev/null || { apt-get install -y -qq bc >/dev/null; }
# Statically linked Swift runtime: the binary a fleet host runs (no Swift install there),
# and ~4 ms less start-up than loading Foundation and ICU dynamically.
swift build -c release --static-swift-stdlib >&2
export BENCH_RUN="${BENCH_RUN:-$(date -u +%Y-%m-%dT%H:%M:%SZ)}"
mkdir -p bench/out
failed=()
for area in ${BENCH_AREAS:-validate cron inventory apply converge jobs}; do
    b="bench/$area.sh"
    [ -x "$b" ] || { echo "no $b" >&2; failed+=("$area"); continue; }
    echo "## $area"
    echo
    "$b" | tee "bench/out/$area.md" || failed+=("$area")
    echo
done
bench/charts.sh || failed+=(charts)
if ((${#failed[@]})); then
    echo "failed: ${failed[*]} (see the messages above)" >&2
    exit 1
fi
