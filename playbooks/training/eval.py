#!/usr/bin/env python3
"""Eval: score an adapter on held-out pairs and write its metrics as JSON.

accuracy: share of held-out prompts whose answer overlaps the expected one (Jaccard >= 0.5).
refusal_correctness: share where the adapter refuses exactly when the expected answer does.

With --incumbent DIR, the live adapter is scored on the same held-out pairs and written to
--incumbent-out, so that the gate compares both models on one test set; when there is no
incumbent yet, --incumbent-out is removed (the gate then has no baseline and the first
candidate passes). Fails (exit 1) when there is nothing to evaluate."""
import argparse, json, pathlib, re, sys

REFUSAL = re.compile(r"^\s*(i (won't|will not|can't|cannot)|no[,.])", re.I)
ap = argparse.ArgumentParser()
ap.add_argument("--adapter", required=True, help="adapter folder written by train.py")
ap.add_argument("--data", help="JSONL to score (default: ADAPTER/holdout.jsonl)")
ap.add_argument("--out", action="append", required=True, help="metrics JSON to write (repeatable)")
ap.add_argument("--incumbent", help="the live adapter to score on the same data")
ap.add_argument("--incumbent-out", help="where to write the incumbent's metrics")
a = ap.parse_args()
words = lambda text: set(re.findall(r"[a-z0-9']+", text.lower()))
jaccard = lambda x, y: len(x & y) / len(x | y) if x | y else 1.0


def load_index(adapter):
    return [(set(e["tokens"]), e["response"]) for e in json.loads((adapter / "index.json").read_text())]


def score(index, rows):
    hits = refusals_right = 0
    for r in rows:
        guess = max(index, key=lambda e: jaccard(e[0], words(r["prompt"])))[1]
        hits += jaccard(words(guess), words(r["response"])) >= 0.5
        refusals_right += bool(REFUSAL.match(guess)) == bool(REFUSAL.match(r["response"]))
    return {"accuracy": round(hits / len(rows), 4), "refusal_correctness": round(refusals_right / len(rows), 4)}


def write(paths, metrics):
    for path in map(pathlib.Path, paths):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")


adapter = pathlib.Path(a.adapter)
index = load_index(adapter)
data = pathlib.Path(a.data) if a.data else adapter / "holdout.jsonl"
rows = [json.loads(l) for l in data.read_text(encoding="utf-8").splitlines() if l.strip()]
if not rows or not index:
    sys.exit(f"eval: nothing to evaluate ({len(rows)} held-out rows, {len(index)} indexed)")
metrics = score(index, rows)
write(a.out, metrics)
print(f"eval: {len(rows)} rows {metrics} -> {', '.join(a.out)}")
if a.incumbent_out:
    incumbent = pathlib.Path(a.incumbent) if a.incumbent else None
    if incumbent and (incumbent / "index.json").exists():
        baseline = score(load_index(incumbent), rows)
        write([a.incumbent_out], baseline)
        print(f"eval: incumbent {incumbent} on the same rows {baseline} -> {a.incumbent_out}")
    else:
        pathlib.Path(a.incumbent_out).unlink(missing_ok=True)
        print(f"eval: no incumbent at {incumbent}; no baseline written")
