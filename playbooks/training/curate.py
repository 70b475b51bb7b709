#!/usr/bin/env python3
"""Curate: keep consented, openly licensed, non-empty, de-duplicated pairs.

Every input record must carry session_id, consent and license (the playbook's
provenance check enforces it before this step runs). Prints why records were dropped."""
import argparse, collections, hashlib, json, pathlib

OPEN_LICENSES = {"CC0-1.0", "CC-BY-4.0", "CC-BY-SA-4.0", "MIT", "Apache-2.0"}
ap = argparse.ArgumentParser()
ap.add_argument("--pairs", required=True, help="pairs JSONL from ingest")
ap.add_argument("--out", required=True, help="curated JSONL to write")
ap.add_argument("--max-chars", type=int, default=8000, help="longest prompt+response kept")
a = ap.parse_args()
dropped, seen, kept = collections.Counter(), set(), []
for line in pathlib.Path(a.pairs).read_text(encoding="utf-8").splitlines():
    if not line.strip():
        continue
    r = json.loads(line)
    key = hashlib.sha256(f"{r['prompt']}\0{r['response']}".encode()).hexdigest()
    why = ("no consent" if not isinstance(r.get("consent"), str) or r["consent"] in ("", "none")
           else "license not open" if r.get("license") not in OPEN_LICENSES
           else "empty" if not (r["prompt"].strip() and r["response"].strip())
           else "too long" if len(r["prompt"]) + len(r["response"]) > a.max_chars
           else "duplicate" if key in seen else None)
    if why:
        dropped[why] += 1
        continue
    seen.add(key)
    kept.append(r)
out = pathlib.Path(a.out)
out.parent.mkdir(parents=True, exist_ok=True)
out.write_text("".join(json.dumps(r) + "\n" for r in kept), encoding="utf-8")
print(f"curate: kept {len(kept)}, dropped {dict(dropped) or 0} -> {out}")
