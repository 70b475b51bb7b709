#!/usr/bin/env bash
# overlay apply vs rsync -a (and ansible-playbook's copy module) on the same generated tree.
# Run from the repo root after `swift build -c release`. Prints a markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bin="${OVERLAY_BIN:-.build/release/overlay}"
[ -x "$bin" ] || { echo "build first: swift build -c release" >&2; exit 1; }
command -v rsync >/dev/null || { echo "rsync is missing (apt-get install rsync)" >&2; exit 1; }
out="$PWD/bench/out/apply"
rm -rf "$out"; mkdir -p "$out"

# A generated overlay repo: 650 files, ~15 MB, placed by one folder `src`.
make_repo() { # DIR FILES
    local repo=$1 count=$2
    mkdir -p "$repo/inventory" "$repo/playbooks" "$repo/tree"
    # The policy files and config of the minimal valid repo: validation needs them.
    cp -r Tests/Fixtures/valid/minimal/policy Tests/Fixtures/valid/minimal/config.yaml "$repo/"
    printf '# Soul\n\nBench wizard.\n' > "$repo/SOUL.md"
    printf 'all:\n  vars:\n    hermes_home: "~/.hermes"\n  hosts:\n    bench:\n      ansible_connection: local\n' > "$repo/inventory/hosts.yml"
    printf 'hosts: all\nhomes:\n  hermes: "{{ hermes_home }}"\nfiles:\n  - {src: tree, dest: "{{ hermes_home }}/tree"}\n' > "$repo/playbooks/site.yaml"
    python3 - "$repo/tree" "$count" <<'PY'
import os, random, sys
root, count = sys.argv[1], int(sys.argv[2])
rng = random.Random(42)
for i in range(count):
    d = os.path.join(root, f"d{i % 25:02d}", f"s{i % 7}")
    os.makedirs(d, exist_ok=True)
    # Mostly small config-sized files, every 13th a large one: ~15 MB for 650 files.
    size = 160_000 if i % 13 == 0 else 6_000 + rng.randrange(12_000)
    with open(os.path.join(d, f"f{i:04d}.txt"), "wb") as f:
        f.write(bytes(rng.randrange(32, 127) for _ in range(256)) * (size // 256))
PY
}

now() { echo "$EPOCHREALTIME"; }
ms() { local a b; a=$(now); "$@" >/dev/null; b=$(now); awk "BEGIN{printf \"%.1f\\n\", ($b-$a)*1000}"; }
median() { sort -n | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

overlay_apply() { # SANDBOX REPO
    HOME="$1/home" OVERLAY_STATE_DIR="$1/state" "$bin" apply --root "$2" -q
}

run_pair() { # NAME FILES -> sets first/noop times for overlay and rsync
    local name=$1 count=$2 repo="$out/$1/repo" box="$out/$1/box"
    make_repo "$repo" "$count"
    mkdir -p "$box/home" "$box/rsync"
    # First runs into fresh targets, alternating the two tools, median of 3 (sync and syncfs
    # also flush whatever else the machine has dirty, so single runs are noisy).
    local of=() rf=() rp=()
    for _ in 1 2 3; do
        rm -rf "$box/home" "$box/state" "$box/rsync"; mkdir -p "$box/home" "$box/rsync"; sync
        of+=("$(ms overlay_apply "$box" "$repo")")
        rf+=("$(ms bash -c "rsync -a '$repo/tree/' '$box/rsync/tree/' && sync")")
        # Plain rsync, not durable: what a copy costs before anything reaches the disk.
        rm -rf "$box/rsync"; mkdir -p "$box/rsync"; sync
        rp+=("$(ms rsync -a "$repo/tree/" "$box/rsync/tree/")")
    done
    # A timing of a refused apply would mean nothing: the tree must be in place.
    local placed
    placed=$(find "$box/home/.hermes/tree" -type l 2>/dev/null | wc -l)
    [ "$placed" = "$count" ] || { echo "overlay apply placed $placed of $count files; run it by hand on $repo" >&2; exit 1; }
    o_first=$(printf '%s\n' "${of[@]}" | median)
    r_first=$(printf '%s\n' "${rf[@]}" | median)
    r_plain=$(printf '%s\n' "${rp[@]}" | median)
    o_noop=$(for _ in 1 2 3 4 5 6 7; do ms overlay_apply "$box" "$repo"; done | median)
    r_noop=$(for _ in 1 2 3 4 5 6 7; do ms rsync -a "$repo/tree/" "$box/rsync/tree/"; done | median)
    bytes=$(du -sb "$repo/tree" | cut -f1)
}

run_pair big 650
record_ratio apply "first apply, 650 files" "$(echo "$o_first / 1000" | bc -l)" "rsync -a + sync" "$(echo "$r_first / 1000" | bc -l)"
record_ratio apply "no-op apply, 650 files" "$(echo "$o_noop / 1000" | bc -l)" "rsync -a" "$(echo "$r_noop / 1000" | bc -l)"
echo "| tree | step | overlay apply | rsync -a | ratio (overlay / rsync) |"
echo "|---|---|---:|---:|---:|"
echo "| 650 files, $((bytes / 1000000)) MB | first apply (rsync + sync), median of 3 | ${o_first} ms | ${r_first} ms | $(awk "BEGIN{printf \"%.2f\", $o_first/$r_first}")× |"
echo "| 650 files, $((bytes / 1000000)) MB | first apply (plain rsync -a, not durable), median of 3 | ${o_first} ms | ${r_plain} ms | $(awk "BEGIN{printf \"%.2f\", $o_first/$r_plain}")× |"
echo "| 650 files, $((bytes / 1000000)) MB | no-op (median of 7) | ${o_noop} ms | ${r_noop} ms | $(awk "BEGIN{printf \"%.2f\", $o_noop/$r_noop}")× |"

# ansible-playbook's copy module takes ~0.7 s per file here, so it runs once on a 40-file tree.
if command -v ansible-playbook >/dev/null && [ "${SKIP_ANSIBLE:-0}" != 1 ]; then
    run_pair small 40
    sbox="$out/small/box"
    mkdir -p "$sbox/ansible"
    cat > "$out/small/copy.yml" <<YML
- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - copy: {src: "$out/small/repo/tree/", dest: "$sbox/ansible/tree/"}
YML
    play() { ansible-playbook -i localhost, -e "ansible_python_interpreter=$(command -v python3)" "$out/small/copy.yml"; }
    a_first=$(ms play)
    a_noop=$(ms play)
    record_ratio apply "first apply, 40 files" "$(echo "$o_first / 1000" | bc -l)" "ansible-playbook copy" "$(echo "$a_first / 1000" | bc -l)"
    record_ratio apply "no-op apply, 40 files" "$(echo "$o_noop / 1000" | bc -l)" "ansible-playbook copy" "$(echo "$a_noop / 1000" | bc -l)"
    echo "| 40 files, $((bytes / 1000)) KB | first apply | ${o_first} ms | ansible-playbook copy: ${a_first} ms | $(awk "BEGIN{printf \"%.0f\", $a_first/$o_first}")× faster |"
    echo "| 40 files, $((bytes / 1000)) KB | no-op | ${o_noop} ms | ansible-playbook copy: ${a_noop} ms | $(awk "BEGIN{printf \"%.0f\", $a_noop/$o_noop}")× faster |"
fi
