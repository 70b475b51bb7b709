#!/usr/bin/env python3
"""Writes a cron definitions file with N jobs (for bench/cron.sh's validate timing)."""
import random
import sys

n = int(sys.argv[1])
rng = random.Random(1)
schedules = ["*/5 * * * *", "0 * * * *", "17 3 * * *", "0 0 1 * *", "30 4 1,15 * 5", "0 9-17 * * mon-fri",
             "@daily", "@hourly", "1-30/5 2 * jan-jun *", "0 0 * * 7"]
print("jobs:")
for i in range(n):
    print("  - name: job-%05d" % i)
    print('    schedule: "%s"' % rng.choice(schedules))
    print('    command: "$HOME/bin/task-%d --since 10m >> $HOME/logs/task-%d.log 2>&1"' % (i, i))
    print('    env: {PATH: "/usr/local/bin:/usr/bin:/bin"}')
    if i % 3 == 0:
        print("    hosts: all")
