#!/usr/bin/env bash
# overlay converge at fleet scale, in one run (prints markdown tables, appends
# bench/out/results.jsonl; see bench/lib.sh):
#
# 1. Against its peer: PEER_HOSTS (default "10 100") local wizard hosts of the example repo,
#    `overlay converge` vs `ansible-playbook` doing the same work on the same inventory —
#    the three files, the providers template and the six cron entries per host (Ansible's
#    `cron` module into a `cron_file` per host) — first run and no-op, both at 5 forks
#    (each tool's default).
# 2. overlay alone: SERIES_HOSTS (10 100 200 1000) × SERIES_FORKS (1 2 5 10) × crontab layout
#    (a crontab file per host, or ONE file shared by every host), first converge and no-op.
#    The shared layout is quadratic today (issue 13): its 1,000-host cell runs only when the
#    200-host no-op took at most SHARED_PROBE_LIMIT seconds (default 2; 0 = always run).
#    Every cell is also cut at CELL_TIMEOUT seconds (default 600).
# 3. `converge --check --limit ONE_HOST` on the 1,000-host inventory vs the full `--check`.
#
# Run from the repo root after `swift build -c release` (bench/run.sh builds it). On a shared
# machine, run it under `nice -n 19`. SKIP_ANSIBLE=1 skips part 1's peer side.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
source bench/fleet.sh
bin="${OVERLAY_BIN:-$PWD/.build/release/overlay}"
[ -x "$bin" ] || { echo "build first: swift build -c release" >&2; exit 1; }
peer_hosts="${PEER_HOSTS:-10 100}"
series_hosts="${SERIES_HOSTS:-10 100 200 1000}"
series_forks="${SERIES_FORKS:-1 2 5 10}"
layouts="${LAYOUTS:-own shared}"
probe_limit="${SHARED_PROBE_LIMIT:-2}"
cell_timeout="${CELL_TIMEOUT:-600}"
# The fleets and the overlay they converge (a copy of the repo's overlay files) live outside
# the checkout: a converge walks its whole repo, and 1,000 homes and state dirs inside it (as
# bench/out/ once held them), or the other benches' generated inputs, would be walked too.
out="${BENCH_WORK:-${TMPDIR:-/tmp}/overlay-bench-$(id -u)}/converge"
case "$out" in "$PWD"/*) echo "BENCH_WORK must be outside the repo ($PWD)" >&2; exit 2 ;; esac
rm -rf "$out"; mkdir -p "$out"
trap 'rm -rf "$out"' EXIT
repo="$out/repo"
copy_overlay "$repo"
export OVERLAY_SECRETS_DIR="$out/secrets"
mkdir -p "$OVERLAY_SECRETS_DIR"; echo "bench-key" > "$OVERLAY_SECRETS_DIR/MODEL_API_KEY"
# The machine may be named like a fleet host: overlay must not take any of them for itself.
export OVERLAY_HOSTNAME=overlay-bench-controller

median() { sort -n | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", a / b }'; }
per_host_ms() { awk -v s="$1" -v n="$2" 'BEGIN { printf "%.2f", s * 1000 / n }'; }

# timed LOG COMMAND…: runs COMMAND (output to LOG) and prints "WALL CPU" in seconds, CPU being
# user + system of it and its children: steadier than wall clock on a busy machine. Returns
# the command's status.
timed() {
    local log=$1 status=0
    shift
    { TIMEFORMAT='%R %U %S'; time "$@" > "$log" 2>&1 || status=$?; } 2> "$log.time"
    awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' "$log.time"
    return "$status"
}

# converge DIR FORKS [ARGS…]: one `overlay converge`, cut at CELL_TIMEOUT; prints "WALL CPU"
# or "timeout". A failed run stops the bench: the timing of a refused converge means nothing.
converge() {
    local dir=$1 forks=$2 status=0 times
    shift 2
    times=$(timed "$dir/last.out" timeout --kill-after=10 "$cell_timeout" \
        "$bin" converge --root "$repo" -i "$dir/fleet/hosts.yml" --forks "$forks" -q "$@") || status=$?
    if [ "$status" = 124 ] || [ "$status" = 137 ]; then echo timeout; return 0; fi
    [ "$status" = 0 ] || { echo "overlay converge failed ($status) in $dir:" >&2; tail -20 "$dir/last.out" >&2; exit 1; }
    echo "$times"
}

# first_and_noop DIR HOSTS FORKS: sets first/first_cpu and noop/noop_cpu (medians of 3 no-op
# runs, one run when it took over 10 s); "timeout" when a run was cut.
first_and_noop() {
    local dir=$1 n=$2 forks=$3 placed runs=()
    local times
    times=$(converge "$dir" "$forks")
    read -r first first_cpu <<< "$times"
    noop=timeout noop_cpu=""
    [ "$first" = timeout ] && return 0
    placed=$(find "$dir/state" -mindepth 2 -maxdepth 2 -name current | wc -l)
    [ "$placed" = "$n" ] || { echo "overlay converge reached $placed of $n hosts in $dir" >&2; exit 1; }
    runs+=("$(converge "$dir" "$forks")")
    [ "${runs[0]}" = timeout ] && return 0
    if awk -v t="${runs[0]% *}" 'BEGIN { exit !(t < 10) }'; then
        runs+=("$(converge "$dir" "$forks")" "$(converge "$dir" "$forks")")
    fi
    noop=$(printf '%s\n' "${runs[@]}" | grep -v timeout | cut -d' ' -f1 | median)
    noop_cpu=$(printf '%s\n' "${runs[@]}" | grep -v timeout | cut -d' ' -f2 | median)
}

# ---- 1. overlay vs ansible-playbook -------------------------------------------------------
ansible_play() { # DIR FORKS: prints "WALL CPU"
    ANSIBLE_CONFIG="$1/none.cfg" ANSIBLE_LOCAL_TEMP="$1/ansible-tmp" ANSIBLE_REMOTE_TEMP="$1/ansible-tmp" \
        ANSIBLE_PIPELINING=True ANSIBLE_DEPRECATION_WARNINGS=False ANSIBLE_RETRY_FILES_ENABLED=False \
        timed "$1/ansible.out" ansible-playbook -i "$1/fleet/hosts.yml" -f "$2" \
        -e "ansible_python_interpreter=$(command -v python3)" "$1/site.yml" ||
        { echo "ansible-playbook failed: see $1/ansible.out" >&2; exit 1; }
}
write_playbook() { # DIR
    # The same work as playbooks/site.yaml for each host, into `ansible/` of its home: two
    # folders, three copies, the providers template (0600) and the five wizard jobs of
    # cron/definitions.yaml plus the deadman check, into a cron file of the host's own.
    cat > "$1/site.yml" <<YML
- hosts: wizards
  gather_facts: false
  vars:
    base: "{{ overlay_home }}/ansible"
    cron_jobs:
      - {name: heartbeat, minute: "*/1", hour: "*", job: "curl -fsS -m 10 http://127.0.0.1:8642/health >/dev/null && overlay heartbeat --stamp /tmp/agent-heartbeat-{{ wizard_name }}.stamp"}
      - {name: heartbeat_heavy, minute: "*/30", hour: "*", job: "\$HOME/.timmy/bin/heartbeat-heavy --api http://127.0.0.1:8642/v1 >> \$HOME/.timmy/logs/heartbeat-heavy.log 2>&1"}
      - {name: orphan_work_cleanup, minute: "17", hour: "3", job: "\$HOME/.timmy/bin/orphan-work-cleanup --older-than 48h >> \$HOME/.timmy/logs/cleanup.log 2>&1"}
      - {name: daily_reset, minute: "0", hour: "0", job: "\$HOME/.timmy/bin/daily-reset >> \$HOME/.timmy/logs/daily-reset.log 2>&1"}
      - {name: token_budget_enforcer, minute: "*/15", hour: "*", job: "\$HOME/.timmy/bin/token-budget enforce --budget \$HOME/.timmy/budget.yaml >> \$HOME/.timmy/logs/token-budget.log 2>&1"}
      - {name: overlay-deadman, minute: "*/1", hour: "*", job: "overlay deadman check"}
  tasks:
    - file: {path: "{{ base }}/.hermes", state: directory}
    - file: {path: "{{ base }}/.timmy", state: directory}
    - copy: {src: "$PWD/config.yaml", dest: "{{ base }}/.hermes/config.yaml"}
    - copy: {src: "$PWD/SOUL.md", dest: "{{ base }}/.hermes/SOUL.md"}
    - copy: {src: "$PWD/channel_aliases.json", dest: "{{ base }}/.hermes/channel_aliases.json"}
    - template: {src: "$PWD/playbooks/templates/providers.yaml", dest: "{{ base }}/.hermes/providers.yaml", mode: "0600"}
    - cron:
        name: "{{ item.name }}"
        minute: "{{ item.minute }}"
        hour: "{{ item.hour }}"
        job: "{{ item.job }}"
        user: "$(id -un)"
        cron_file: "{{ base }}/crontab"
      loop: "{{ cron_jobs }}"
YML
}

# cell SECONDS CPU HOSTS: "W s (P ms/host, CPU C s)" for a table.
cell() { echo "$1 s ($(per_host_ms "$1" "$3") ms/host; CPU $2 s)"; }

peer_rows=()
for n in $peer_hosts; do
    dir="$out/peer-$n"
    make_fleet "$dir" "$n" own
    first_and_noop "$dir" "$n" 5
    [ "$first" != timeout ] && [ "$noop" != timeout ] || { echo "overlay converge of $n hosts was cut at $cell_timeout s" >&2; exit 1; }
    o_first=$first o_first_cpu=$first_cpu o_noop=$noop o_noop_cpu=$noop_cpu a_first=""
    record "$(printf '"kind": "converge-peer", "tool": "overlay", "hosts": %s, "forks": 5, "first_s": %s, "noop_s": %s, "first_cpu_s": %s, "noop_cpu_s": %s' \
        "$n" "$(json_number "$o_first")" "$(json_number "$o_noop")" "$(json_number "$o_first_cpu")" "$(json_number "$o_noop_cpu")")"
    if command -v ansible-playbook >/dev/null && [ "${SKIP_ANSIBLE:-0}" != 1 ]; then
        write_playbook "$dir"
        times=$(ansible_play "$dir" 5)
        read -r a_first a_first_cpu <<< "$times"
        # The timing of a run that did not do the work would mean nothing.
        entries=$(cat "$dir/homes/ezra/ansible/crontab" 2>/dev/null | grep -c '^#Ansible: ' || true)
        [ "$entries" = 6 ] || { echo "ansible-playbook wrote $entries cron entries for ezra, not 6: see $dir/ansible.out" >&2; exit 1; }
        times=$(ansible_play "$dir" 5)
        read -r a_noop a_noop_cpu <<< "$times"
        grep -q 'changed=0 ' "$dir/ansible.out" && ! grep -Eq 'changed=[1-9]' "$dir/ansible.out" ||
            { echo "ansible-playbook's second run changed something: see $dir/ansible.out" >&2; exit 1; }
        record_ratio converge "$n local hosts, first converge" "$o_first" ansible-playbook "$a_first"
        record_ratio converge "$n local hosts, no-op converge" "$o_noop" ansible-playbook "$a_noop"
        record "$(printf '"kind": "converge-peer", "tool": "ansible-playbook", "hosts": %s, "forks": 5, "first_s": %s, "noop_s": %s, "first_cpu_s": %s, "noop_cpu_s": %s' \
            "$n" "$(json_number "$a_first")" "$(json_number "$a_noop")" "$(json_number "$a_first_cpu")" "$(json_number "$a_noop_cpu")")"
        peer_rows+=("| $n local hosts | first converge | $(cell "$o_first" "$o_first_cpu" "$n") | $(cell "$a_first" "$a_first_cpu" "$n") | $(ratio "$a_first" "$o_first")× |")
        peer_rows+=("| $n local hosts | no-op (overlay: median of 3; ansible: one run) | $(cell "$o_noop" "$o_noop_cpu" "$n") | $(cell "$a_noop" "$a_noop_cpu" "$n") | $(ratio "$a_noop" "$o_noop")× |")
    else
        peer_rows+=("| $n local hosts | first converge | $(cell "$o_first" "$o_first_cpu" "$n") | not run | |")
        peer_rows+=("| $n local hosts | no-op (median of 3) | $(cell "$o_noop" "$o_noop_cpu" "$n") | not run | |")
    fi
    rm -rf "$dir"
done
echo "| fleet | step | overlay converge (5 forks) | ansible-playbook (5 forks) | overlay is faster by (wall) |"
echo "|---|---|---:|---:|---:|"
printf '%s\n' "${peer_rows[@]}"
echo

# ---- 2. the overlay series -----------------------------------------------------------------
echo "| crontab | hosts | forks | first converge | per host | CPU | no-op | per host | CPU |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
skipped=()
for layout in $layouts; do
    for forks in $series_forks; do
        probe=""
        for n in $series_hosts; do
            if [ "$layout" = shared ] && [ "$n" -ge 1000 ] && [ "$probe_limit" != 0 ] && [ -n "$probe" ] &&
                awk -v t="$probe" -v l="$probe_limit" 'BEGIN { exit !(t == "timeout" || t > l) }'; then
                skipped+=("shared crontab, $n hosts, $forks forks: not run (the 200-host no-op took $probe s, over SHARED_PROBE_LIMIT=$probe_limit s)")
                echo "| shared | $n | $forks | skipped | | | skipped | | |"
                continue
            fi
            dir="$out/series"
            make_fleet "$dir" "$n" "$layout"
            first_and_noop "$dir" "$n" "$forks"
            [ "$n" = 200 ] && probe=$noop
            [ "$first" = timeout ] ||
                record "$(printf '"kind": "converge-scale", "layout": "%s", "forks": %s, "hosts": %s, "step": "first", "seconds": %s, "cpu_s": %s' \
                    "$layout" "$forks" "$n" "$(json_number "$first")" "$(json_number "$first_cpu")")"
            [ "$noop" = timeout ] ||
                record "$(printf '"kind": "converge-scale", "layout": "%s", "forks": %s, "hosts": %s, "step": "noop", "seconds": %s, "cpu_s": %s' \
                    "$layout" "$forks" "$n" "$(json_number "$noop")" "$(json_number "$noop_cpu")")"
            show() { [ "$1" = timeout ] && echo "over ${cell_timeout} s | | |" || echo "$1 s | $(per_host_ms "$1" "$n") ms | $2 s |"; }
            echo "| $layout | $n | $forks | $(show "$first" "$first_cpu") $(show "$noop" "$noop_cpu")"
            # 3. on the largest own-crontab fleet with the most forks: one host's check vs all.
            if [ "$layout" = own ] && [ "$n" -ge 1000 ] && [ "$forks" = "${series_forks##* }" ] && [ "$first" != timeout ]; then
                one=w$((n / 2))
                limited=$(for _ in 1 2 3; do converge "$dir" "$forks" --check --limit "$one"; done | cut -d' ' -f1 | median)
                full=$(for _ in 1 2 3; do converge "$dir" "$forks" --check; done | cut -d' ' -f1 | median)
                check_row="| $n hosts, own crontabs | \`--check --limit $one\`: $limited s | full \`--check\`: $full s | $(ratio "$full" "$limited")× |"
                record_point converge "--check --limit one host, $n-host inventory" "$limited"
                record_point converge "--check, $n-host inventory" "$full"
            fi
            rm -rf "$dir"
        done
    done
done
for line in "${skipped[@]}"; do echo; echo "$line"; done
if [ -n "${check_row:-}" ]; then
    echo
    echo "| fleet | one host | every host | one host is faster by |"
    echo "|---|---:|---:|---:|"
    echo "$check_row"
fi
