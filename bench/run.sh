#!/usr/bin/env bash
# Builds the release binary and runs every benchmark against its real peer, in one run.
# Results are printed as markdown; docs/benchmarks.md records them with the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v bc >/dev/null || { apt-get install -y -qq bc >/dev/null; }
# Statically linked Swift runtime: the binary a fleet host runs (no Swift install there),
# and ~4 ms less start-up than loading Foundation and ICU dynamically.
swift build -c release --static-swift-stdlib >&2
for b in bench/validate.sh bench/cron.sh bench/inventory.sh bench/apply.sh bench/converge.sh bench/jobs.sh; do
    [ -x "$b" ] || continue
    echo "## $(basename "$b" .sh)"
    echo
    "$b"
    echo
done
