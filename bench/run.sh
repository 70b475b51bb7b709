#!/usr/bin/env bash
# Builds the release binary and runs every benchmark against its real peer, in one run.
# Results are printed as markdown; docs/benchmarks.md records them with the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v bc >/dev/null || { apt-get install -y -qq bc >/dev/null; }
swift build -c release >&2
for b in bench/validate.sh bench/cron.sh bench/inventory.sh bench/apply.sh; do
    [ -x "$b" ] || continue
    echo "## $(basename "$b" .sh)"
    echo
    "$b"
    echo
done
