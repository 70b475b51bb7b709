#!/usr/bin/env bash
# The job runner's own cost: overlay jobs run on a 200-step DAG of `true`, against the same
# 200 processes started by a shell loop, and the job ledger's writes per second.
# Run from the repo root after `swift build -c release` (bench/run.sh builds it). Prints markdown.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${OVERLAY_BIN:-.build/release/overlay}"
[ -x "$bin" ] || { echo "build first: swift build -c release" >&2; exit 1; }
out="$PWD/bench/out/jobs"
rm -rf "$out"; mkdir -p "$out"
steps=200

# Two shapes of 200 steps: a chain (each step needs the one before: pure runner overhead,
# one process at a time) and a layered DAG (20 layers of 10, each step needing two of the
# layer before: scheduling and parallelism, --parallel 2 on this 2-core machine).
python3 - "$out" "$steps" <<'PY'
import random, sys
out, steps = sys.argv[1], int(sys.argv[2])
rng = random.Random(1)
with open(f"{out}/chain.yaml", "w") as f:
    f.write("name: chain\njobs:\n")
    for i in range(steps):
        f.write(f"  s{i}: {{run: 'true'{', needs: [s%d]' % (i - 1) if i else ''}}}\n")
with open(f"{out}/dag.yaml", "w") as f:
    f.write("name: dag\njobs:\n")
    width = 10
    for i in range(steps):
        layer = i // width
        needs = "" if layer == 0 else ", needs: [%s]" % ", ".join(
            f"s{(layer - 1) * width + j}" for j in sorted(rng.sample(range(width), 2)))
        f.write(f"  s{i}: {{run: 'true'{needs}}}\n")
PY
mkdir -p "$out/repo/playbooks"
cp "$out/chain.yaml" "$out/dag.yaml" "$out/repo/playbooks/"

now() { echo "$EPOCHREALTIME"; }
ms() { local a b; a=$(now); "$@" >/dev/null 2>&1; b=$(now); awk "BEGIN{printf \"%.1f\\n\", ($b-$a)*1000}"; }
median() { sort -n | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

run_playbook() { # NAME PARALLEL
    OVERLAY_STATE_DIR="$out/state-$1" "$bin" jobs run "playbooks/$1.yaml" --root "$out/repo" --parallel "$2" -q
}
bare_loop() { for _ in $(seq "$steps"); do /bin/sh -c true; done; }

# A run must succeed for its time to mean anything.
run_playbook chain 1 || { echo "the chain run failed" >&2; exit 1; }
chain=$(for _ in 1 2 3 4 5; do ms run_playbook chain 1; done | median)
dag=$(for _ in 1 2 3 4 5; do ms run_playbook dag 2; done | median)
bare=$(for _ in 1 2 3 4 5; do ms bare_loop; done | median)
empty=$(for _ in 1 2 3 4 5; do ms "$bin" jobs run playbooks/chain.yaml --root "$out/repo" --dry-run; done | median)
ledger=$("$bin" jobs ledger-bench --file "$out/ledger.sqlite3" --count 30000)

per() { awk "BEGIN{printf \"%.2f\", $1/$steps}"; }
echo "| measure | value |"
echo "|---|---:|"
echo "| 200-step chain, --parallel 1, whole run (median of 5) | ${chain} ms = $(per "$chain") ms/step |"
echo "| 200-step layered DAG, --parallel 2, whole run (median of 5) | ${dag} ms = $(per "$dag") ms/step |"
echo "| the same 200 \`/bin/sh -c true\` from a shell loop (median of 5) | ${bare} ms = $(per "$bare") ms/step |"
echo "| start-up: \`jobs run --dry-run\` of the chain | ${empty} ms |"
echo "| **runner overhead per step** (chain − loop − start-up) / 200 | **$(awk "BEGIN{printf \"%.2f\", ($chain-$bare-$empty)/$steps}") ms** (goal < 10 ms) |"
echo "| ledger writes (one transaction each, WAL, synchronous=NORMAL) | ${ledger} |"
