#!/usr/bin/env bash
# Cron engine benchmarks (run from the repo root; bench/run.sh builds .build/release/overlay).
#
# 1. Next-fire throughput: the same expressions (the croniter oracle's generated set, which
#    both engines answer identically) and the same start time; each side computes COUNT next
#    times per expression inside one process and reports its own compute time, so process
#    start-up is not counted for either. The checksums (sum of epoch seconds) must match.
# 2. Validate time on one cron file of 10,000 jobs (yamllint on the same file for scale).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bin=".build/release/overlay"
[ -x "$bin" ] || { echo "build first: swift build -c release" >&2; exit 2; }
out="bench/out/cron"
mkdir -p "$out"

count=${CRON_BENCH_COUNT:-200}
from="2026-01-01T00:00:00Z"
python3 Tests/Fixtures/cron/croniter_oracle.py 600 20260101 1 \
    | python3 -c 'import json,sys; [print(json.loads(l)["expr"]) for l in sys.stdin]' > "$out/exprs.txt"

ours=$("$bin" cron next --bench-file "$out/exprs.txt" --count "$count" --from "$from" --tz UTC)
theirs=$(python3 bench/cron_croniter.py "$out/exprs.txt" "$count" "$from")
field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" <<<"$2"; }
n=$(field computed "$ours")
ts=$(field seconds "$ours")
tc=$(field seconds "$theirs")
[ "$(field checksum "$ours")" = "$(field checksum "$theirs")" ] || { echo "checksums differ: $ours / $theirs" >&2; exit 1; }

mkdir -p "$out/repo/cron"
python3 bench/cron_jobs.py 10000 > "$out/repo/cron/jobs.yaml"
t0=$(date +%s.%N)
"$bin" validate --root "$out/repo" --format json > "$out/validate.json" || true
t1=$(date +%s.%N)
y0=$(date +%s.%N)
if command -v yamllint >/dev/null; then yamllint -d relaxed -f parsable "$out/repo/cron/jobs.yaml" > /dev/null || true; fi
y1=$(date +%s.%N)

record_ratio cron "next fire times, $n computed" "$ts" croniter "$tc"
record_ratio cron "validate one file of 10,000 jobs" "$(echo "$t1 - $t0" | bc)" "yamllint -d relaxed" "$(echo "$y1 - $y0" | bc)"
python3 - "$n" "$ts" "$tc" "$t0" "$t1" "$y0" "$y1" "$(wc -l < "$out/exprs.txt")" <<'PY'
import sys
n, ts, tc, t0, t1, y0, y1, exprs = sys.argv[1:]
n, ts, tc = int(n), float(ts), float(tc)
v, y = float(t1) - float(t0), float(y1) - float(y0)
print("| measure | overlay | croniter / yamllint | ratio |")
print("|---|---|---|---|")
print("| next fire times (%s expressions x %d) | %.0f /s (%.3f s) | %.0f /s (%.3f s) | %.0fx |" % (exprs, n // int(exprs), n / ts, ts, n / tc, tc, tc / ts))
print("| validate, 1 file of 10,000 jobs | %.3f s | yamllint %.3f s | %.1fx |" % (v, y, y / v))
PY
