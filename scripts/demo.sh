#!/usr/bin/env bash
# The main job on the bundled example overlay, in a sandbox under .demo/:
# validate the repo, apply the workstation host (timmy) into .demo/home, show status.
# Nothing outside .demo/ is touched: HOME, the state dir, the crontab, the secrets and the
# harness's managed scope (HERMES_MANAGED_DIR, /etc/hermes on a real host) all point inside it.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$PWD/.build/debug/overlay"
demo="$PWD/.demo"
mkdir -p "$demo/home" "$demo/secrets"
[ -f "$demo/secrets/MODEL_API_KEY" ] || (umask 077 && echo "demo-local-key" > "$demo/secrets/MODEL_API_KEY")
export HOME="$demo/home" OVERLAY_STATE_DIR="$demo/state" OVERLAY_CRONTAB="file:$demo/crontab" \
    OVERLAY_SECRETS_DIR="$demo/secrets" HERMES_MANAGED_DIR="$demo/managed"

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
ls -l "$HOME/.hermes"
step "the fleet's policy in the harness's managed scope (its keys win; hermes config set refuses them)"
ls -la "$HERMES_MANAGED_DIR"
sed -n '4,$p' "$HERMES_MANAGED_DIR/config.yaml"
step "create-only: the agent's memory is seeded once, then left to the agent"
printf '\n§\nThe agent added this entry itself.' >> "$HOME/.hermes/memories/USER.md"   # as its memory tool would
"$bin" apply --root . --host timmy --verbose 2>&1 | grep -E 'USER.md|generation'
tail -n 1 "$HOME/.hermes/memories/USER.md"
step "the harness's own jobs, reconciled into \$HERMES_HOME/cron/jobs.json"
grep -E '^      "(name|schedule_display|next_run_at)"' "$HOME/.hermes/cron/jobs.json" | sed 's/^ */  /'
"$bin" cron next --root . --agent "0 18 * * 1-5" --count 2

# A local demo fleet: the example's wizards, each converged in process into its own home
# under .demo/fleet (the real inventory reaches ezra over SSH; here both are local).
fleet="$demo/fleet"
mkdir -p "$fleet/group_vars" "$fleet/host_vars"
cp inventory/group_vars/all.yml inventory/group_vars/wizards.yml "$fleet/group_vars/"
cp inventory/host_vars/timmy.yml inventory/host_vars/ezra.yml "$fleet/host_vars/"
{
    echo "all:"
    echo "  children:"
    echo "    wizards:"
    echo "      hosts:"
    for host in timmy ezra; do
        echo "        $host:"
        echo "          ansible_connection: local"
        echo "          overlay_home: \"$fleet/homes/$host\""
        echo "          overlay_state_dir: \"$fleet/state/$host\""
        echo "          overlay_crontab: \"file:$fleet/crontab-$host\""
        echo "          managed_dir: \"$fleet/managed/$host\""
    done
} > "$fleet/hosts.yml"
step "overlay converge -i .demo/fleet/hosts.yml   (two local wizards)"
"$bin" converge --root . -i "$fleet/hosts.yml"
step "overlay converge again: nothing changes"
"$bin" converge --root . -i "$fleet/hosts.yml"

# The training pipeline once, on the fixture session exports: forge's `session_exports` is
# ~/fleet/session-exports, and HOME is the sandbox. Its ledger, work/ and registry/ are in
# the state dir (.demo/state/jobs/), never in the checkout. Run twice, the second run's
# gate rejects the identical candidate (exit 1): the demo runs it once per fresh .demo/.
exports="$HOME/fleet/session-exports"
mkdir -p "$exports"
cp playbooks/training/fixtures/sessions/*.jsonl "$exports/"
step "overlay jobs run playbooks/training.yaml --host forge   (ingest → curate → train → eval → gate → promote)"
if [ -e "$OVERLAY_STATE_DIR/jobs/workspaces/training/registry/current" ]; then
    echo "already promoted in an earlier demo run; 'make clean-demo' starts over" >&2
else
    "$bin" jobs run playbooks/training.yaml --root . --host forge --quiet
fi
step "overlay jobs status --host forge"
"$bin" jobs status --root . --host forge

# The deadman: the agent's heartbeat job touches its stamp; the check (a cron entry every
# minute on a real host, installed by apply) sees it fresh and marks the generation known-good.
step "overlay heartbeat; overlay deadman check   (the agent is up: its generation becomes known-good)"
"$bin" heartbeat
"$bin" deadman check
"$bin" deadman status

# GitOps, when this is a git checkout: its HEAD becomes the branch main of a local remote,
# pulled with libgit2; then a running webhook receiver pulls a new commit on a signed push.
if git rev-parse --verify -q HEAD >/dev/null; then
    origin="$demo/origin.git"
    rm -rf "$origin" "$demo/work"
    git clone -q --bare . "$origin"
    git -C "$origin" update-ref refs/heads/main "$(git rev-parse HEAD)"
    step "overlay pull --repo .demo/origin.git --host timmy   (fetch, validate, apply that commit)"
    "$bin" pull --repo "$origin" --ref main --host timmy
    step "overlay pull again: the same commit is a no-op"
    "$bin" pull --repo "$origin" --ref main --host timmy
    if command -v curl >/dev/null && command -v openssl >/dev/null; then
        step "overlay serve: a signed push webhook makes it pull the new commit"
        secret="demo-webhook-secret"
        (umask 077 && echo "$secret" > "$demo/webhook-secret")
        "$bin" serve --listen 127.0.0.1:0 --secret-file "$demo/webhook-secret" --repo "$origin" --ref main --host timmy \
            > "$demo/serve.out" 2> "$demo/serve.log" &
        serve_pid=$!
        trap 'kill $serve_pid 2>/dev/null || true' EXIT
        for _ in $(seq 100); do grep -q '^listening' "$demo/serve.out" 2>/dev/null && break; sleep 0.1; done
        port=$(sed -n 's/^listening .*:\([0-9]*\)$/\1/p' "$demo/serve.out")
        git clone -q -b main "$origin" "$demo/work"
        printf '\nA line pushed in the demo.\n' >> "$demo/work/SOUL.md"
        git -C "$demo/work" -c user.name=Demo -c user.email=demo@example.invalid commit -qam "demo: a pushed change"
        git -C "$demo/work" push -q origin main
        body='{"ref":"refs/heads/main"}'
        signature=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$secret" | sed 's/^.* //')
        curl -s -X POST "http://127.0.0.1:$port/hooks/push" -H 'Content-Type: application/json' -H 'X-Overlay-Event: push' \
            -H "X-Overlay-Delivery: demo-$(date +%s)" -H "X-Overlay-Signature: sha256=$signature" --data "$body"
        echo
        for _ in $(seq 100); do curl -s "http://127.0.0.1:$port/status" | grep -q '"last_run":{' && break; sleep 0.2; done
        curl -s "http://127.0.0.1:$port/status" | python3 -c 'import json,sys; r=json.load(sys.stdin)["last_run"]; print("last run:", r["result"], r["commit"][:12], "-", r["message"])'
        kill "$serve_pid"
        wait "$serve_pid" 2>/dev/null || true
        tail -n 1 "$HOME/.hermes/SOUL.md"
    fi
    step "overlay status   (the last pull, the deadman, the generations)"
    "$bin" status --root . | tail -n 12
fi
