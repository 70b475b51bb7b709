#!/usr/bin/env bash
# The main job on the bundled example overlay, in a sandbox under .demo/:
# validate the repo, apply the workstation host (timmy) into .demo/home, show status.
# Nothing outside .demo/ is touched: HOME, the state dir, the crontab and the secrets
# all point inside it.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$PWD/.build/debug/overlay"
demo="$PWD/.demo"
mkdir -p "$demo/home" "$demo/secrets"
[ -f "$demo/secrets/MODEL_API_KEY" ] || (umask 077 && echo "demo-local-key" > "$demo/secrets/MODEL_API_KEY")
export HOME="$demo/home" OVERLAY_STATE_DIR="$demo/state" OVERLAY_CRONTAB="file:$demo/crontab" \
    OVERLAY_SECRETS_DIR="$demo/secrets"

step() { printf '\n== %s\n' "$*" >&2; }
step "overlay validate"
"$bin" validate --root .
step "overlay apply --host timmy   (into $HOME)"
"$bin" apply --root . --host timmy
step "overlay status"
"$bin" status --root .
step "overlay cron diff --host timmy"
"$bin" cron diff --root . --host timmy
step "what the agent sees"
ls -l "$HOME/.hermes" "$HOME/.timmy"
