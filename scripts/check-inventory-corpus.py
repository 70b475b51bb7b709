#!/usr/bin/env python3
"""Runs every inventory of a corpus through `overlay inventory --list` and `ansible-inventory --list`.

Usage: check-inventory-corpus.py OVERLAY_BIN CORPUS_DIR [CASE...]

CORPUS_DIR holds one folder per case; a README.md in CORPUS_DIR or beside it names each
case's inventory file in a table row `| NN-name | ... | `path` |` (as
/work/shared/corpora/README.md does), else the case's `hosts.yml` is used. A case passes when both tools
print the same bytes on stdout, or when both refuse the inventory (non-zero exit).
Prints one line per case and exits 1 when any case differs. Corpus files are read in
place, never copied.
"""

import json
import os
import re
import subprocess
import sys
import tempfile


def cases(corpus):
    """(name, inventory path) for every case of the corpus, sorted by name."""
    table = {}
    for readme in (os.path.join(corpus, "README.md"), os.path.join(os.path.dirname(corpus.rstrip("/")), "README.md")):
        if not os.path.exists(readme):
            continue
        for line in open(readme, encoding="utf-8"):
            m = re.match(r"\| (\d\d-[^ |]+) \| .* \| `([^`]+)` \|$", line.strip())
            if m:
                table[m.group(1)] = m.group(2)
    out = []
    for name in sorted(os.listdir(corpus)):
        folder = os.path.join(corpus, name)
        if not os.path.isdir(folder):
            continue
        rel = table.get(name) or next(
            (f for f in ("hosts.yml", "hosts.yaml", "inventory.yml") if os.path.exists(os.path.join(folder, f))), None
        )
        if rel:
            out.append((name, os.path.join(folder, rel)))
    return out


def run(argv, env, cwd):
    try:
        r = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=cwd, timeout=300)
    except subprocess.TimeoutExpired:
        return 124, "", "timed out"
    return r.returncode, r.stdout, r.stderr


def first_difference(a, b, path="$"):
    """Where two decoded JSON values first differ, in words."""
    if type(a) is not type(b):
        return f"{path}: ansible {json.dumps(a)[:120]} vs overlay {json.dumps(b)[:120]}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in b:
                return f"{path}.{k}: only in ansible"
            if k not in a:
                return f"{path}.{k}: only in overlay"
            d = first_difference(a[k], b[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items in ansible, {len(b)} in overlay"
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, f"{path}[{i}]")
            if d:
                return d
        return None
    if a != b and not (a != a and b != b):
        return f"{path}: ansible {json.dumps(a)[:120]} vs overlay {json.dumps(b)[:120]}"
    return None


def compare(overlay, inventory, scratch):
    env = dict(os.environ)
    env.update(
        HOME=scratch,
        ANSIBLE_CONFIG=os.path.join(scratch, "none.cfg"),
        ANSIBLE_LOCAL_TEMP=os.path.join(scratch, "tmp"),
        ANSIBLE_INVENTORY_ENABLED="yaml",
        ANSIBLE_INVENTORY_UNPARSED_FAILED="true",
    )
    a_rc, a_out, a_err = run(["ansible-inventory", "-i", inventory, "--list"], env, scratch)
    o_rc, o_out, o_err = run([overlay, "inventory", "-i", inventory, "--list"], env, scratch)
    if a_rc != 0 and o_rc != 0:
        return "refused", "both refuse"
    if a_rc != 0:
        return "differs", f"ansible refuses (exit {a_rc}: {a_err.strip().splitlines()[-1:]}) but overlay accepts"
    if o_rc != 0:
        errors = [l for l in o_err.splitlines() if ": error: " in l][:3]
        return "differs", f"overlay refuses (exit {o_rc}): {errors or o_err.strip()[-300:]}"
    if a_out == o_out:
        return "equal", ""
    try:
        d = first_difference(json.loads(a_out), json.loads(o_out))
    except ValueError as e:
        d = f"not JSON: {e}"
    return "differs", d or "same values, different text (formatting or key order)"


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    overlay, corpus, only = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), set(sys.argv[3:])
    failed = 0
    with tempfile.TemporaryDirectory() as scratch:
        for name, inventory in cases(corpus):
            if only and name not in only:
                continue
            verdict, detail = compare(overlay, inventory, scratch)
            failed += verdict == "differs"
            print(f"{name}: {verdict}" + (f" — {detail}" if detail else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
