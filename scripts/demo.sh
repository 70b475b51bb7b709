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
