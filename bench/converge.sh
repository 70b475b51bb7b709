#!/usr/bin/env bash
# overlay converge vs ansible-playbook on the same fleet: N local wizard hosts of the
# example repo, each with its own home, state dir and crontab file.
# Run from the repo root after `swift build -c release`. Prints a markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${OVERLAY_BIN:-.build/release/overlay}"
[ -x "$bin" ] || { echo "build first: swift build -c release" >&2; exit 1; }
hosts="${HOSTS:-8}"
out="$PWD/bench/out/converge"
rm -rf "$out"; mkdir -p "$out/fleet/group_vars" "$out/fleet/host_vars" "$out/secrets"
cp inventory/group_vars/all.yml inventory/group_vars/wizards.yml "$out/fleet/group_vars/"
echo "bench-key" > "$out/secrets/MODEL_API_KEY"
{
    echo "all:"; echo "  children:"; echo "    wizards:"; echo "      hosts:"
    for i in $(seq 1 "$hosts"); do
        # cron/definitions.yaml names ezra: the fleet must have it.
        h="w$i"; [ "$i" = 1 ] && h=ezra
        echo "        $h:"
        echo "          ansible_connection: local"
        echo "          wizard_name: $h"
        echo "          overlay_home: \"$out/homes/$h\""
        echo "          overlay_state_dir: \"$out/state/$h\""
        echo "          overlay_crontab: \"file:$out/crontab-$h\""
    done
} > "$out/fleet/hosts.yml"
export OVERLAY_SECRETS_DIR="$out/secrets"

now() { echo "$EPOCHREALTIME"; }
ms() { local a b; a=$(now); "$@" >/dev/null; b=$(now); awk "BEGIN{printf \"%.1f\\n\", ($b-$a)*1000}"; }
median() { sort -n | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
converge() { "$bin" converge --root . -i "$out/fleet/hosts.yml" -q; }

o_first=$(ms converge)
# A timing of a refused converge would mean nothing: every host must have its generation.
placed=$(ls -d "$out"/state/*/current 2>/dev/null | wc -l)
[ "$placed" = "$hosts" ] || { echo "overlay converge reached $placed of $hosts hosts; run it by hand" >&2; exit 1; }
o_noop=$(for _ in 1 2 3 4 5; do ms converge; done | median)

if command -v ansible-playbook >/dev/null && [ "${SKIP_ANSIBLE:-0}" != 1 ]; then
    # The same files to the same homes: directories, three copies and one template.
    cat > "$out/site.yml" <<YML
- hosts: wizards
  gather_facts: false
  tasks:
    - file: {path: "{{ overlay_home }}/ansible/.hermes", state: directory}
    - file: {path: "{{ overlay_home }}/ansible/.timmy", state: directory}
    - copy: {src: "$PWD/config.yaml", dest: "{{ overlay_home }}/ansible/.hermes/config.yaml"}
    - copy: {src: "$PWD/SOUL.md", dest: "{{ overlay_home }}/ansible/.timmy/SOUL.md"}
    - copy: {src: "$PWD/channel_directory.json", dest: "{{ overlay_home }}/ansible/.hermes/channel_directory.json"}
    - template: {src: "$PWD/playbooks/templates/providers.yaml", dest: "{{ overlay_home }}/ansible/.hermes/providers.yaml"}
YML
    play() { ansible-playbook -i "$out/fleet/hosts.yml" -f 5 -e "ansible_python_interpreter=$(command -v python3)" "$out/site.yml"; }
    a_first=$(ms play)
    a_noop=$(ms play)
fi
echo "| fleet | step | overlay converge | ansible-playbook | overlay is faster by |"
echo "|---|---|---:|---:|---:|"
echo "| $hosts local hosts, example repo | first converge | ${o_first} ms | ${a_first:-not run} ms | $( [ -n "${a_first:-}" ] && awk "BEGIN{printf \"%.0f×\", $a_first/$o_first}") |"
echo "| $hosts local hosts, example repo | no-op (overlay: median of 5; ansible: one run) | ${o_noop} ms | ${a_noop:-not run} ms | $( [ -n "${a_noop:-}" ] && awk "BEGIN{printf \"%.0f×\", $a_noop/$o_noop}") |"
