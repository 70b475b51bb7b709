#!/usr/bin/env bash
# overlay inventory --list vs ansible-inventory --list on the same inventories, one run,
# beside the floor (bench/libyaml_floor.c: libyaml events of the same YAML files, one core)
# and with overlay's peak RSS (/usr/bin/time -v). Prints a markdown table. Needs .build/release/overlay (bench/run.sh builds it).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
source bench/measure.sh
floor=$(floor_bin)
bin=.build/release/overlay
out=bench/out
mkdir -p "$out"
python3 bench/gen_inventory.py "$out/inventory5000" 5000 200 >/dev/null

# ansible-inventory reads only what it is given: no user config, no play dirs.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export ANSIBLE_CONFIG="$scratch/none.cfg" ANSIBLE_LOCAL_TEMP="$scratch/tmp" ANSIBLE_INVENTORY_ENABLED=yaml

now() { date +%s.%N; }
# Best of N wall-clock runs, in seconds (best_wall in bench/measure.sh, which ignores failures).
best_of() {
    local n=$1 best="" s e t
    shift
    for _ in $(seq "$n"); do
        s=$(now)
        "$@" >/dev/null 2>&1
        e=$(now)
        t=$(echo "$e - $s" | bc)
        if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
    done
    echo "$best"
}
# Best of N user+system CPU seconds: steadier than wall-clock on a shared machine.
cpu_of() {
    local n=$1 best="" t
    shift
    for _ in $(seq "$n"); do
        t=$(python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{r.ru_utime + r.ru_stime:.4f}")' "$@")
        if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
    done
    echo "$best"
}
hosts_in() { python3 -c 'import json,sys; print(len(json.load(sys.stdin)["_meta"]["hostvars"]))'; }

echo "| inventory | hosts | groups | overlay --list wall (s) | ansible-inventory --list wall (s) | wall ratio | overlay CPU (s) | ansible CPU (s) | CPU ratio | overlay peak RSS (MB) | C libyaml floor, 1 core (s) | overlay ÷ floor |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
for name in example generated; do
    file=$([ "$name" = example ] && echo inventory/hosts.yml || echo "$out/inventory5000/hosts.yml")
    # Both must print the same hosts, or the timing means nothing.
    h_ov=$("$bin" inventory -i "$file" --list | hosts_in)
    h_an=$(cd "$scratch" && ansible-inventory -i "$OLDPWD/$file" --list 2>/dev/null | hosts_in)
    [ "$h_ov" = "$h_an" ] || { echo "host count differs on $file: overlay $h_ov, ansible $h_an" >&2; exit 1; }
    groups=$("$bin" inventory -i "$file" --list | python3 -c 'import json,sys; print(len([k for k in json.load(sys.stdin) if k != "_meta"]))')
    t_ov=$(best_of 5 "$bin" inventory -i "$file" --list)
    t_an=$(cd "$scratch" && best_of 3 ansible-inventory -i "$OLDPWD/$file" --list)
    c_ov=$(cpu_of 5 "$bin" inventory -i "$file" --list)
    c_an=$(cd "$scratch" && cpu_of 3 ansible-inventory -i "$OLDPWD/$file" --list)
    read -r _ _ rss_kb < <(best_run 3 "$bin" inventory -i "$file" --list)
    t_fl=$(best_wall 7 "$floor" "$(dirname "$file")")
    input_mb=$(find "$(dirname "$file")" -type f -name '*.y*ml' -exec cat {} + | wc -c | awk '{print $1/1048576}')
    record_ratio inventory "--list, $name inventory ($h_ov hosts)" "$t_ov" ansible-inventory "$t_an"
    record_ratio inventory "--list, $name inventory ($h_ov hosts)" "$t_ov" "C libyaml events, 1 core" "$t_fl"
    record_memory inventory "--list, $name inventory ($h_ov hosts)" "$(echo "$rss_kb / 1024" | bc -l)" "$input_mb"
    printf "| %s | %s | %s | %.3f | %.3f | **%.0f×** | %.3f | %.3f | %.0f× | %.0f | %.3f | %.2f× |\n" "$name" "$h_ov" "$groups" "$t_ov" "$t_an" \
        "$(echo "$t_an / $t_ov" | bc -l)" "$c_ov" "$c_an" "$(echo "$c_an / $c_ov" | bc -l)" "$(echo "$rss_kb / 1024" | bc -l)" \
        "$t_fl" "$(echo "$t_ov / $t_fl" | bc -l)"
done
