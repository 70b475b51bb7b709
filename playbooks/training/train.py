#!/usr/bin/env python3
"""Train: build a small retrieval adapter (bag-of-words nearest neighbour) from curated pairs.

Holds out about --holdout-percent of the sessions (chosen by a hash of session_id, so
the split is stable across runs) and stores them beside the adapter for eval.
Writes ADAPTER/index.json, ADAPTER/holdout.jsonl and ADAPTER/manifest.json."""
import argparse, hashlib, json, pathlib, re, time

ap = argparse.ArgumentParser()
ap.add_argument("--data", required=True, help="curated JSONL")
ap.add_argument("--out", required=True, help="adapter folder to write")
ap.add_argument("--holdout-percent", type=int, default=10)
a = ap.parse_args()
train, holdout = [], []
for line in pathlib.Path(a.data).read_text(encoding="utf-8").splitlines():
    if line.strip():
        r = json.loads(line)
        bucket = int(hashlib.sha256(r["session_id"].encode()).hexdigest()[:8], 16) % 100
        (holdout if bucket < a.holdout_percent else train).append(r)
index = [{"tokens": sorted(set(re.findall(r"[a-z0-9']+", r["prompt"].lower()))),
          "response": r["response"]} for r in train]
out = pathlib.Path(a.out)
out.mkdir(parents=True, exist_ok=True)
(out / "index.json").write_text(json.dumps(index), encoding="utf-8")
(out / "holdout.jsonl").write_text("".join(json.dumps(r) + "\n" for r in holdout), encoding="utf-8")
manifest = {"kind": "bow-nearest-neighbour", "examples": len(train), "holdout": len(holdout),
            "data": a.data, "trained_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
(out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
print(f"train: {len(train)} examples, {len(holdout)} held out -> {out}")
