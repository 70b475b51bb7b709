#!/usr/bin/env python3
"""The croniter side of bench/cron.sh: COUNT next times for every expression in FILE from
FROM (UTC), timed inside the process like overlay's --bench-file mode, with the same checksum."""
import sys
import time
from datetime import datetime, timezone

from croniter import croniter

path, count, start = sys.argv[1], int(sys.argv[2]), sys.argv[3]
begin = datetime.fromisoformat(start.replace("Z", "+00:00")).astimezone(timezone.utc)
exprs = [line.strip() for line in open(path) if line.strip()]
computed = 0
checksum = 0
t0 = time.perf_counter()
for expr in exprs:
    it = croniter(expr, begin)
    for _ in range(count):
        checksum += int(it.get_next(float))
        computed += 1
elapsed = time.perf_counter() - t0
print("expressions=%d computed=%d checksum=%d seconds=%f" % (len(exprs), computed, checksum, elapsed))
