#!/usr/bin/env bash
# The main job on the bundled example overlay: validate the repo.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=".build/debug/overlay"
echo "== overlay validate" >&2
"$bin" validate --root .
