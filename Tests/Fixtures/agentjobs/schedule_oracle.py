"""Reads JSON-encoded schedule strings (one a line) and prints, for each, what the real
harness makes of it: hermes-agent's own parse_schedule, then croniter's next five times for a
cron schedule, each from the previous one as the harness's compute_next_run does (the harness refuses a job whose next run croniter cannot find).

argv[1]: the base time (ISO 8601 with offset). HERMES_TIMEZONE is the harness's zone.
"""
import json
import os
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from croniter import croniter
from cron.jobs import parse_schedule

tz = ZoneInfo(os.environ["HERMES_TIMEZONE"])
base = datetime.fromisoformat(sys.argv[1]).astimezone(tz)
for line in sys.stdin:
    text = json.loads(line)
    try:
        parsed = parse_schedule(text)
    except Exception as exc:  # the harness's refusal
        print(json.dumps({"ok": False, "error": str(exc)}))
        continue
    out = {"ok": True, "kind": parsed["kind"], "display": parsed.get("display")}
    if parsed["kind"] == "interval":
        out["minutes"] = parsed["minutes"]
    elif parsed["kind"] == "once":
        out["run_at"] = parsed["run_at"]
        out["relative"] = parsed.get("display", "").startswith("once in ")
    else:
        out["expr"] = parsed["expr"]
        try:
            # As compute_next_run does it: a fresh croniter from the previous run each time.
            times, cursor = [], base
            for _ in range(5):
                cursor = croniter(parsed["expr"], cursor).get_next(datetime)
                times.append(cursor.isoformat())
            out["next"] = times
        except Exception as exc:
            out = {"ok": False, "error": "croniter finds no next run: %s" % exc}
    print(json.dumps(out))
