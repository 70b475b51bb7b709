# Sourced by bench/converge.sh and bench/converge_profile.sh (from the repo root).
#
# make_fleet DIR HOSTS LAYOUT: an inventory (DIR/fleet/hosts.yml, with the example's
# group_vars) of HOSTS local wizards of the example repo, each with its own home and state dir
# under DIR; LAYOUT `own` gives each host its crontab file, `shared` one file for all
# (DIR/cron/crontab). The first two hosts are ezra and timmy, whom cron/definitions.yaml names
# (timmy with its host_vars); the others are w3…wN. Each host's managed scope (the harness's
# /etc/hermes) is under DIR too. Keep DIR outside the repo: a converge walks its whole repo.
make_fleet() {
    local dir=$1 n=$2 layout=$3 i h cron
    rm -rf "$dir"; mkdir -p "$dir/fleet/group_vars" "$dir/fleet/host_vars" "$dir/cron"
    cp inventory/group_vars/all.yml inventory/group_vars/wizards.yml "$dir/fleet/group_vars/"
    cp inventory/host_vars/timmy.yml "$dir/fleet/host_vars/"
    {
        echo "all:"; echo "  children:"; echo "    wizards:"; echo "      hosts:"
        for i in $(seq 1 "$n"); do
            h="w$i"; [ "$i" = 1 ] && h=ezra; [ "$i" = 2 ] && h=timmy
            cron="$dir/cron/crontab-$h"; [ "$layout" = shared ] && cron="$dir/cron/crontab"
            echo "        $h:"
            echo "          ansible_connection: local"
            echo "          wizard_name: $h"
            echo "          overlay_home: \"$dir/homes/$h\""
            echo "          overlay_state_dir: \"$dir/state/$h\""
            echo "          overlay_crontab: \"file:$cron\""
            echo "          managed_dir: \"$dir/managed/$h\""
        done
    } > "$dir/fleet/hosts.yml"
}

# copy_overlay DEST: the example overlay — the repo's own overlay files — copied to DEST, so
# a converge walks an overlay repo and not this checkout (its sources, docs and whatever the
# other benches left in bench/out).
copy_overlay() {
    rm -rf "$1"; mkdir -p "$1"
    cp -r config.yaml SOUL.md channel_aliases.json agent-memories agent-scripts policy cron playbooks inventory "$1/"
}
