#!/usr/bin/env python3
"""Ingest: turn exported agent sessions into prompt/response pairs with provenance.

Reads every *.jsonl file under --sessions (or that one file); each line is one session:
{"session_id", "consent", "license", "messages": [{"role", "content"}, ...]}.
Writes one record per user turn the assistant answered, carrying the session's
session_id, consent level and license. Sessions without a session id or without consent
(no `consent`, or "none") yield nothing: no session, no data. Whether a consent level
allows training is the playbook's provenance check (policy/data.yaml). A missing export
folder yields an empty set."""
import argparse, json, pathlib, sys

ap = argparse.ArgumentParser()
ap.add_argument("--sessions", required=True, help="folder of session exports, or one file")
ap.add_argument("--out", required=True, help="pairs JSONL to write")
a = ap.parse_args()
src = pathlib.Path(a.sessions).expanduser()
files = sorted(src.glob("*.jsonl")) if src.is_dir() else [src] if src.is_file() else []
if not files:
    print(f"ingest: no session exports at {src}; writing an empty set", file=sys.stderr)
out = pathlib.Path(a.out)
out.parent.mkdir(parents=True, exist_ok=True)
pairs = skipped = unconsented = 0
with open(str(out) + ".tmp", "w", encoding="utf-8") as w:
    for f in files:
        for line in f.read_text(encoding="utf-8").splitlines():
            s = json.loads(line) if line.strip() else {}
            if not s.get("session_id"):
                skipped += bool(s)  # no provenance, no pairs
                continue
            consent = s.get("consent")
            if not isinstance(consent, str) or consent.strip().lower() in ("", "none", "no"):
                unconsented += 1
                continue
            msgs = s.get("messages") or []
            for q, r in zip(msgs, msgs[1:]):
                if q.get("role") == "user" and r.get("role") == "assistant":
                    w.write(json.dumps({"session_id": s["session_id"],
                                        "consent": consent,
                                        "license": s.get("license") or "unspecified",
                                        "prompt": q.get("content", ""),
                                        "response": r.get("content", "")}) + "\n")
                    pairs += 1
pathlib.Path(str(out) + ".tmp").replace(out)
print(f"ingest: {pairs} pairs from {len(files)} files; dropped {skipped} sessions without id, "
      f"{unconsented} without consent -> {out}")
