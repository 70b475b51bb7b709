#!/bin/bash
# Run by the harness's scheduler (agent job `fleet-health`, cron/agent-jobs.yaml) from the
# hermes home's scripts/ folder. Prints only when something needs a person: the harness
# delivers the output, and an empty one stays silent.
set -u
home="$(cd "$(dirname "$0")/.." && pwd)"
used=$(df -P "$home" 2>/dev/null | awk 'NR == 2 { sub("%", "", $5); print $5 }')
if [ -n "$used" ] && [ "$used" -ge 90 ]; then
    echo "disk: $home's file system is ${used}% full"
fi
for stamp in /tmp/agent-heartbeat-*.stamp; do
    [ -e "$stamp" ] || continue
    age=$(( $(date +%s) - $(stat -c %Y "$stamp") ))
    if [ "$age" -gt 600 ]; then
        echo "heartbeat: $stamp is ${age}s old"
    fi
done
exit 0
