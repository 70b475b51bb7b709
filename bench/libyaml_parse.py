#!/usr/bin/env python3
"""The floor: a bare libyaml parse (events only, C loader) of every YAML file under a folder."""
import os, sys, time, yaml
root = sys.argv[1]
paths = [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.endswith((".yaml", ".yml"))]
t = time.perf_counter()
n = 0
for p in paths:
    with open(p, "rb") as fh:
        for _ in yaml.parse(fh, Loader=yaml.CSafeLoader):
            n += 1
print("%d files, %d events, %.3f s" % (len(paths), n, time.perf_counter() - t), file=sys.stderr)
