#!/usr/bin/env bash
# GitOps: (1) push-to-applied latency — a local bare repo, a commit pushed with git, one
# signed webhook to a running `overlay serve`, the pull's fetch → validate → apply, timed until
# the home shows the new file — median and p99 over PUSHES pushes (goal: median under 300 ms;
# the seed's fleet takes 10–15 s per host); (2) a no-change `overlay pull` against `git fetch`
# + `git status` and `ansible-pull` of the same repo, in one run. The 401-under-load half of
# the issue's goal is bench/serve.sh (SERVE_CMD runs `overlay serve`). Prints markdown.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bin="${OVERLAY_BIN:-$PWD/.build/release/overlay}"
[ -x "$bin" ] || { echo "build first: swift build -c release --static-swift-stdlib" >&2; exit 1; }
PUSHES=${PUSHES:-50}
work=$(mktemp -d)
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export HOME="$work/home" OVERLAY_STATE_DIR="$work/state" OVERLAY_CRONTAB="file:$work/crontab" OVERLAY_HOSTNAME=bench
mkdir -p "$HOME"
git init -q --bare -b main "$work/origin.git"
git clone -q "$work/origin.git" "$work/clone" 2>/dev/null
cp -r Tests/Fixtures/valid/minimal/policy "$work/clone/"
printf '# Soul\n\nfirst\n' > "$work/clone/SOUL.md"
printf 'model:\n  default: local-model\n  provider: custom\n' > "$work/clone/config.yaml"
mkdir -p "$work/clone/inventory" "$work/clone/playbooks"
printf 'all:\n  vars:\n    timmy_home: ~/.timmy\n    golden_state_providers: [custom]\n  hosts:\n    timmy:\n      ansible_connection: local\n' \
    > "$work/clone/inventory/hosts.yml"
printf 'hosts: all\nhomes:\n  timmy: "{{ timmy_home }}"\nfiles:\n  - {src: SOUL.md, dest: "{{ timmy_home }}/SOUL.md"}\nproviders: "{{ golden_state_providers }}"\n' \
    > "$work/clone/playbooks/site.yaml"
# ansible-pull runs local.yml from the checkout: the same one file, copied into place.
printf -- '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - file: {path: "{{ lookup(\x27env\x27, \x27HOME\x27) }}/ansible", state: directory}\n    - copy: {src: SOUL.md, dest: "{{ lookup(\x27env\x27, \x27HOME\x27) }}/ansible/SOUL.md"}\n' \
    > "$work/clone/local.yml"
(cd "$work/clone" && git add -A && git -c user.name=bench -c user.email=b@x commit -qm first && git push -q origin HEAD:main)

head -c 32 /dev/urandom | base64 > "$work/secret"; chmod 600 "$work/secret"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" serve --listen "127.0.0.1:$port" --secret-file "$work/secret" --repo "$work/origin.git" >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
for _ in $(seq 200); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.05; done

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo
python3 bench/gitops_latency.py "$port" "$work/secret" "$work/clone" "$HOME/.timmy/SOUL.md" "$PUSHES" > "$work/latency"
read -r median p99 max < <(sort -n "$work/latency" | awk '{a[NR]=$1} END {
    m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; i = int(NR * 0.99 + 0.999); if (i > NR) i = NR
    print m, a[i], a[NR] }')
generations=$(ls -d "$OVERLAY_STATE_DIR"/generations/[0-9]* | wc -l)
kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=""

echo "| measure | overlay | peer | ratio |"
echo "|---|---:|---|---:|"
echo "| push → applied, $PUSHES pushes (webhook → fetch → validate → apply) | median ${median} ms, p99 ${p99} ms, max ${max} ms ($generations generations) | the seed's fleet: 10–15 s per host | — |"
record_point gitops "push to applied, median" "$(awk -v m="$median" 'BEGIN{print m/1000}')"

# No-change fetches of the same repo.
ms() { local a b; a=$EPOCHREALTIME; "$@" >/dev/null 2>&1; b=$EPOCHREALTIME; awk "BEGIN{printf \"%.1f\\n\", ($b-$a)*1000}"; }
median() { sort -n | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
"$bin" pull --repo "$work/origin.git" -q
o=$(for _ in $(seq 11); do ms "$bin" pull --repo "$work/origin.git" -q; done | median)
git clone -q "$work/origin.git" "$work/gitpeer" 2>/dev/null
g=$(for _ in $(seq 11); do ms bash -c "cd '$work/gitpeer' && git fetch -q origin && git status --short"; done | median)
echo "| no-change pull (median of 11) | ${o} ms | git fetch + git status: ${g} ms | $(awk "BEGIN{printf \"%.1f×\", $g/$o}") |"
record_ratio gitops "no-change pull vs git fetch + status" "$(awk -v x="$o" 'BEGIN{print x/1000}')" "git fetch + git status" "$(awk -v x="$g" 'BEGIN{print x/1000}')"
if command -v ansible-pull >/dev/null; then
    ap() { ansible-pull -U "file://$work/origin.git" -C main -d "$work/ansible-checkout" -i localhost, \
        -e "ansible_python_interpreter=$(command -v python3)" local.yml; }
    ap >/dev/null 2>&1 || { echo "ansible-pull failed; run it by hand" >&2; exit 1; }
    a=$(for _ in 1 2 3; do ms ap; done | median)
    echo "| no-change pull (ansible: median of 3) | ${o} ms | ansible-pull: ${a} ms | $(awk "BEGIN{printf \"%.0f×\", $a/$o}") |"
    record_ratio gitops "no-change pull vs ansible-pull" "$(awk -v x="$o" 'BEGIN{print x/1000}')" "ansible-pull" "$(awk -v x="$a" 'BEGIN{print x/1000}')"
fi
