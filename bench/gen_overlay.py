#!/usr/bin/env python3
"""Generates a large, valid overlay repo for benchmarks.

usage: gen_overlay.py OUT_DIR CRON_FILES JOBS_PER_FILE HOST_VAR_FILES [--errors]
Cron files look like the example's; host_vars files carry realistic nested vars.
Everything is valid, so the benchmark measures a full clean run, not an early exit.
With --errors, deliberate problems of several rule families are written into a fixed
share of the files (same seed, same places every time): the repo the diagnostics-identity
test validates (Tests/EndToEndTests/ValidateIdentityTests.swift).
"""
import os, random, shutil, sys

args = [a for a in sys.argv[1:] if a != "--errors"]
errors = "--errors" in sys.argv[1:]
out, cron_files, jobs_per_file, host_files = args[0], int(args[1]), int(args[2]), int(args[3])
random.seed(7)
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
shutil.rmtree(out, ignore_errors=True)
for d in ["policy", "cron", "inventory/host_vars", "inventory/group_vars", "playbooks"]:
    os.makedirs(os.path.join(out, d), exist_ok=True)
for f in ["policy/providers.yaml", "policy/config.schema.json", "config.yaml", "SOUL.md"]:
    src = os.path.join(root, f)
    if os.path.exists(src):
        shutil.copy(src, os.path.join(out, f))

def cron_errors(i, lines):
    """One kind of mistake in every 7th cron file, cycling through the kinds."""
    if i % 7 != 3:
        if i % 50 == 20:  # yaml.bom warning
            return b"\xef\xbb\xbf" + ("\n".join(lines) + "\n").encode()
        return lines
    kind = (i // 7) % 12
    job = 2 + 5 * ((i * 3) % max(len(lines) // 5 - 1, 1))  # a job's "- name:" line
    job = min(job, len(lines) - 5)
    if kind == 0:  # cron.range
        lines[job + 1] = '    schedule: "61 * * * *"'
    elif kind == 1:  # cron.duplicate-name (the first file's first job)
        lines[job] = "  - name: job_0_0"
    elif kind == 2:  # cron.name, cron.unknown-key
        lines[job] = "  - name: Nightly Backup %d" % i
        lines.insert(job + 1, "    shedule: daily")
    elif kind == 3:  # cron.env, cron.secret-reference
        lines[job + 3] = '    env: {1BAD: "x", TOKEN: "${secret:api}"}'
    elif kind == 4:  # cron.unknown-hosts
        lines[job + 4] = "    hosts: nosuchgroup%d" % i
    elif kind == 5:  # yaml.duplicate-key
        lines.insert(job + 1, "    name: again_%d" % i)
    elif kind == 6:  # yaml.syntax: an unclosed flow mapping
        lines[job + 3] = '    env: {PATH: "/usr/bin"'
    elif kind == 7:  # yaml.tab-indent
        lines[job + 4] = "\thosts: all"
    elif kind == 8:  # policy.plaintext-secret in an env value, cron.percent
        lines[job + 3] = '    env: {API_TOKEN: "ghp_%s"}' % ("a1B2c3D4e5" * 4)
        lines[job + 2] = '    command: "date +%%s > /tmp/stamp-%d"' % i
    elif kind == 9:  # yaml.encoding: a byte that is not UTF-8
        return ("\n".join(lines) + "\n").encode().replace(b"generated", b"gener\xffated", 1)
    elif kind == 10:  # cron.day-quirk warning, cron.type
        lines[job + 1] = '    schedule: "0 0 */2 * 5"'
        lines[job + 4] = "    hosts: {a: 1}"
    else:  # yaml.value (an explicit tag its text does not fit), cron.required
        lines[job + 1] = "    schedule: !!int every-day"
        del lines[job + 2]
    return lines


def host_errors(n, h):
    """One kind of mistake in every 13th host_vars file."""
    if n % 13 != 5:
        return ""
    kind = (n // 13) % 5
    if kind == 0:
        return "ansible_port: 70000\n"
    if kind == 1:
        return "api_key: sk-%s\n" % ("Zx9Yw8Vu7T" * 3)
    if kind == 2:
        return "labels: again\n"
    if kind == 3:
        return "base: &b {x: 1}\nmerged:\n  <<: [1, 2]\n"
    return "ansible_host: [1, 2]\n"


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
    if errors:
        lines = cron_errors(i, lines)
    with open(os.path.join(out, "cron", "jobs-%04d.yaml" % i), "wb") as fh:
        fh.write(("\n".join(lines) + "\n").encode() if isinstance(lines, list) else lines)

hosts = ["host%05d" % i for i in range(max(host_files, 1))]
with open(os.path.join(out, "inventory/hosts.yml"), "w") as fh:
    fh.write("all:\n  children:\n    fleet:\n      hosts:\n")
    for h in hosts:
        fh.write("        %s:\n          ansible_host: 10.%d.%d.%d\n" % (h, random.randint(0, 255), random.randint(0, 255), random.randint(1, 254)))
with open(os.path.join(out, "inventory/group_vars/all.yml"), "w") as fh:
    fh.write("hermes_home: \"~/.hermes\"\ntimmy_home: \"~/.timmy\"\ngolden_state_providers: [custom]\n")
for n, h in enumerate(hosts):
    with open(os.path.join(out, "inventory/host_vars/%s.yml" % h), "w") as fh:
        fh.write("wizard_name: %s\n" % h)
        fh.write("labels:\n" + "".join("  - label-%d-%s\n" % (k, h) for k in range(40)))
        fh.write("limits:\n" + "".join("  key_%d: {soft: %d, hard: %d, note: \"limit %d for %s\"}\n" % (k, k, k * 2, k, h) for k in range(60)))
        if errors:
            fh.write(host_errors(n, h))
print(out)
