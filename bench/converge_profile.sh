#!/usr/bin/env bash
# Where a no-op converge spends its time: `perf record` of one no-op `overlay converge` of
# HOSTS (default 1000) local hosts with LAYOUT (own | shared; default own) crontabs at FORKS
# (default 10) forks, after a first converge. Prints the hottest functions (self time,
# demangled) and `strace -c -f` of the same no-op. Needs perf (Debian: linux-perf) and strace;
# without perf it prints only the strace summary.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/fleet.sh
bin="${OVERLAY_BIN:-$PWD/.build/release/overlay}"
[ -x "$bin" ] || { echo "build first: swift build -c release" >&2; exit 1; }
hosts="${HOSTS:-1000}" layout="${LAYOUT:-own}" forks="${FORKS:-10}"
dir="${BENCH_WORK:-${TMPDIR:-/tmp}/overlay-bench-$(id -u)}/profile-$layout-$hosts"
case "$dir" in "$PWD"/*) echo "BENCH_WORK must be outside the repo ($PWD)" >&2; exit 2 ;; esac
trap 'rm -rf "$dir"' EXIT
make_fleet "$dir" "$hosts" "$layout"
repo="$dir/repo"
copy_overlay "$repo"
mkdir -p "$dir/secrets"; echo bench-key > "$dir/secrets/MODEL_API_KEY"
export OVERLAY_SECRETS_DIR="$dir/secrets" OVERLAY_HOSTNAME=overlay-bench-controller
run() { "$@" "$bin" converge --root "$repo" -i "$dir/fleet/hosts.yml" --forks "$forks" -q; }
run env >/dev/null
run env >/dev/null   # warm: the page cache and the state dirs, as a no-op finds them
echo "no-op converge, $hosts hosts, $layout crontab(s), --forks $forks"
if command -v perf >/dev/null; then
    run perf record -q -F 1999 -g -o "$dir/perf.data" >/dev/null 2>&1
    demangle() { if command -v swift >/dev/null; then swift demangle --simplified; else cat; fi; }
    echo; echo "perf: self time by function (top 25)"
    perf report -i "$dir/perf.data" --stdio --no-children --sort dso,symbol --percent-limit 0.7 2>/dev/null |
        grep -E '^ +[0-9]' | head -25 | demangle | cut -c1-180 || true
    echo; echo "perf: time including callees, overlay's own steps (top 30)"
    perf report -i "$dir/perf.data" --stdio --children --sort symbol --percent-limit 2 -g none 2>/dev/null |
        grep -E '^ +[0-9]' | demangle | grep -E 'Overlay|overlay|Converge|Apply|Render|Template|Crontab|Generation|Valid|Inventory|Plan|Repo|Policy|Document' |
        grep -vE 'closure|thunk|partial apply|merged' | head -30 | cut -c1-200 || true
    echo; echo "perf: time by library"
    perf report -i "$dir/perf.data" --stdio --no-children --sort dso 2>/dev/null | grep -E '^ +[0-9]' | head -8 || true
fi
if command -v strace >/dev/null; then
    echo; echo "strace -c -f: system calls (top 15 by time)"
    run strace -c -f -o "$dir/strace.txt" >/dev/null 2>&1
    head -22 "$dir/strace.txt"
fi
