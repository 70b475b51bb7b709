#!/usr/bin/env bash
# Draws docs/img/converge-scaling.svg and docs/img/speedups.svg from bench/out/results.jsonl
# with bench/charts.py, in the bench's own virtualenv (bench/out/.venv, made when missing:
# matplotlib from PyPI, never into the system Python; hidden, so `overlay validate --root .`
# does not walk it).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=bench/out/.venv
matplotlib=matplotlib==3.11.2
if ! "$venv/bin/python" -c 'import matplotlib' 2>/dev/null; then
    rm -rf "$venv"
    python3 -m venv "$venv" ||
        { echo "cannot make a virtualenv: install Python's venv module (Debian: apt-get install python3-venv)" >&2; exit 1; }
    "$venv/bin/python" -m pip install -q --disable-pip-version-check "$matplotlib"
fi
exec "$venv/bin/python" bench/charts.py "$@"
