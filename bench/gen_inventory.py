#!/usr/bin/env python3
"""Writes a large Ansible YAML inventory for bench/inventory.sh.

usage: gen_inventory.py OUT_DIR HOSTS GROUPS

10 region groups under `all`, the remaining groups as leaf groups spread over the
regions; every host sits in one leaf group and every tenth host in a second one.
Each group has inline vars; a quarter of the groups have a group_vars file and
every tenth host a host_vars file, so all precedence steps do some work.
"""
import os
import sys

out, n_hosts, n_groups = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
regions = 10
leaves = n_groups - regions
os.makedirs(os.path.join(out, "group_vars"), exist_ok=True)
os.makedirs(os.path.join(out, "host_vars"), exist_ok=True)

members = {g: [] for g in range(leaves)}
for h in range(n_hosts):
    members[h % leaves].append(h)
    if h % 10 == 0:
        members[(h * 7 + 3) % leaves].append(h)

lines = ["all:", "  vars:", "    ansible_connection: ssh", "    tier: default", "  children:"]
for r in range(regions):
    lines += [f"    region{r:02d}:", "      vars:", f"        region: r{r}", f"        tier: region{r}", "      children:"]
    for g in range(r, leaves, regions):
        lines += [f"        group{g:03d}:", "          vars:", f"            group_id: {g}",
                  f"            ansible_group_priority: {g % 3 + 1}", f"            tier: group{g}", "          hosts:"]
        for h in members[g]:
            lines += [f"            host{h:05d}.example.com:", f"              ansible_host: 10.{h // 65536}.{h // 256 % 256}.{h % 256}",
                      f"              index: {h}"]
with open(os.path.join(out, "hosts.yml"), "w") as f:
    f.write("\n".join(lines) + "\n")

with open(os.path.join(out, "group_vars", "all.yml"), "w") as f:
    f.write("golden_state_providers: [custom, ollama]\nhermes_home: ~/.hermes\n")
for g in range(0, leaves, 4):
    with open(os.path.join(out, "group_vars", f"group{g:03d}.yml"), "w") as f:
        f.write(f"tier: file{g}\nlocal_model: {{name: model-{g}, context_length: {4096 * (g % 8 + 1)}}}\n")
for h in range(0, n_hosts, 10):
    with open(os.path.join(out, "host_vars", f"host{h:05d}.example.com.yml"), "w") as f:
        f.write(f"wizard_name: w{h}\nansible_port: {2200 + h % 100}\n")
print(out)
