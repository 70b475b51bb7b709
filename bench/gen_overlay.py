#!/usr/bin/env python3
"""Generates a large, valid overlay repo for benchmarks.

usage: gen_overlay.py OUT_DIR CRON_FILES JOBS_PER_FILE HOST_VAR_FILES
Cron files look like the example's; host_vars files carry realistic nested vars.
Everything is valid, so the benchmark measures a full clean run, not an early exit.
"""
import os, random, shutil, sys

out, cron_files, jobs_per_file, host_files = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
random.seed(7)
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
shutil.rmtree(out, ignore_errors=True)
for d in ["policy", "cron", "inventory/host_vars", "inventory/group_vars", "playbooks"]:
    os.makedirs(os.path.join(out, d), exist_ok=True)
for f in ["policy/providers.yaml", "policy/config.schema.json", "config.yaml", "SOUL.md"]:
    src = os.path.join(root, f)
    if os.path.exists(src):
        shutil.copy(src, os.path.join(out, f))

schedules = ["*/5 * * * *", "0 */4 * * *", "17 3 * * *", "0 0 * * 1-5", "30 6 1,15 * *", "@hourly", "*/15 8-18 * * mon-fri"]
for i in range(cron_files):
    lines = ["# generated cron definitions %d" % i, "jobs:"]
    for j in range(jobs_per_file):
        lines += [
            "  - name: job_%d_%d" % (i, j),
            "    schedule: \"%s\"" % random.choice(schedules),
            "    command: \"$HOME/.timmy/bin/task-%d --shard %d >> $HOME/.timmy/logs/task-%d.log 2>&1\"" % (j, i, j),
            "    env: {PATH: \"/usr/local/bin:/usr/bin:/bin\", SHARD: \"%d\"}" % i,
            "    hosts: all",
        ]
    with open(os.path.join(out, "cron", "jobs-%04d.yaml" % i), "w") as fh:
        fh.write("\n".join(lines) + "\n")

hosts = ["host%05d" % i for i in range(max(host_files, 1))]
with open(os.path.join(out, "inventory/hosts.yml"), "w") as fh:
    fh.write("all:\n  children:\n    fleet:\n      hosts:\n")
    for h in hosts:
        fh.write("        %s:\n          ansible_host: 10.%d.%d.%d\n" % (h, random.randint(0, 255), random.randint(0, 255), random.randint(1, 254)))
with open(os.path.join(out, "inventory/group_vars/all.yml"), "w") as fh:
    fh.write("hermes_home: \"~/.hermes\"\ntimmy_home: \"~/.timmy\"\ngolden_state_providers: [custom]\n")
for h in hosts:
    with open(os.path.join(out, "inventory/host_vars/%s.yml" % h), "w") as fh:
        fh.write("wizard_name: %s\n" % h)
        fh.write("labels:\n" + "".join("  - label-%d-%s\n" % (k, h) for k in range(40)))
        fh.write("limits:\n" + "".join("  key_%d: {soft: %d, hard: %d, note: \"limit %d for %s\"}\n" % (k, k, k * 2, k, h) for k in range(60)))
print(out)
