#!/usr/bin/env python3
"""Oracle for overlay's cron engine: generates cron expressions and asks croniter for their
next fire times in UTC. Prints one JSON object per line: {"expr", "from", "next": [...]}.

Expressions are restricted to what Debian's cron (Vixie 3.0pl1) accepts, and expressions on
which croniter's day rule differs from Vixie's are skipped: Vixie requires both day fields
to match when either field's *text* starts with '*'; croniter decides on the expanded sets.
Those quirk cases are hand-checked in the Swift tests instead. One-value ranges ("5-5") are
not generated because croniter misreads them (it expands "5-5" to every minute).

usage: croniter_oracle.py [COUNT_EXPRESSIONS] [SEED]
"""
import json
import random
import sys
from datetime import datetime, timezone

from croniter import croniter

FIELDS = [(0, 59, None), (0, 23, None), (1, 31, None),
          (1, 12, ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]),
          (0, 7, ["sun", "mon", "tue", "wed", "thu", "fri", "sat"])]


def value(rng, low, high, names, hi_cap=None, base=None):
    v = rng.randint(low, high if hi_cap is None else hi_cap)
    base = low if base is None else base
    if names and rng.random() < 0.35 and v - base < len(names):
        name = names[v - base]
        return v, rng.choice([name, name.upper(), name.capitalize()])
    return v, str(v)


def item(rng, low, high, names):
    kind = rng.random()
    if kind < 0.2:
        return "*"
    if kind < 0.35:
        return "*/%d" % rng.randint(1, max(1, (high - low) // 2 + 1))
    a, at = value(rng, low, high, names, hi_cap=(6 if names and len(names) == 7 else None))
    if kind < 0.6:
        return at
    b, bt = value(rng, a, high, names, hi_cap=(6 if names and len(names) == 7 and rng.random() < 0.8 else None),
                  base=low)
    if b <= a:
        # croniter misreads one-value ranges ("5-5" as "*", "3-3/2" as "*/2"); Debian reads
        # them as the single value, so the generator writes the single value instead.
        return at
    text = "%s-%s" % (at, bt)
    if kind < 0.8:
        return text
    return "%s/%d" % (text, rng.randint(1, max(1, (b - a) // 2 + 1)))


def field(rng, index):
    low, high, names = FIELDS[index]
    if rng.random() < 0.45 and index != 0:
        return "*"
    count = 1 if rng.random() < 0.7 else rng.randint(2, 3)
    items = [item(rng, low, high, names) for _ in range(count)]
    if "*" in items and len(items) > 1:
        items = [i for i in items if i != "*"] or ["*"]
    return ",".join(items)


def vixie_and(expr):
    parts = expr.split()
    return parts[2].startswith("*") or parts[4].startswith("*")


def croniter_and(c):
    return c.expanded[2] == ["*"] or c.expanded[4] == ["*"]


SPECIAL = ["0 0 29 2 *", "0 12 29 feb *", "30 23 31 * *", "0 0 31 1,3,5,7,8,10,12 *", "@yearly", "@annually",
           "@monthly", "@weekly", "@daily", "@midnight", "@hourly", "59 23 31 12 *", "0 0 1 1 *", "*/15 * * * *",
           "1-30/5 * * * *", "0 9 * * mon-fri/2", "0 0 * * 7", "0 0 * * 5-7", "0 0 * * SUN", "5 4 * * sun",
           "0 22 * * 1-5", "23 0-20/2 * * *", "0 0,12 1 */2 *", "0 4 8-14 * *", "* * * * *"]

STARTS = ["2026-01-01T00:00:00", "2024-02-28T23:59:30", "2025-12-31T23:59:00", "2023-06-15T12:34:56",
          "2028-02-29T00:00:00", "2099-12-31T23:00:00"]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 20260101
    per = int(sys.argv[3]) if len(sys.argv) > 3 else 6
    rng = random.Random(seed)
    exprs = list(SPECIAL)
    while len(exprs) < n:
        exprs.append(" ".join(field(rng, i) for i in range(5)))
    out = 0
    for expr in exprs:
        try:
            probe = croniter(expr, datetime(2026, 1, 1, tzinfo=timezone.utc))
        except Exception:
            continue
        if not expr.startswith("@") and vixie_and(expr) != croniter_and(probe):
            continue
        start = STARTS[out % len(STARTS)]
        begin = datetime.fromisoformat(start).replace(tzinfo=timezone.utc)
        try:
            it = croniter(expr, begin)
            times = [it.get_next(datetime).strftime("%Y-%m-%dT%H:%M:%SZ") for _ in range(per)]
        except Exception:
            continue
        print(json.dumps({"expr": expr, "from": start + "Z", "next": times}))
        out += 1


if __name__ == "__main__":
    main()
