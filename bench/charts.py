#!/usr/bin/env python3
"""Draws the charts of docs/benchmarks.md from the bench scripts' results file.

usage: charts.py [RESULTS_JSONL] [OUT_DIR]   (defaults: bench/out/results.jsonl, docs/img)

Run it with the bench's own virtualenv (bench/charts.sh makes it). Writes
  converge-scaling.svg  seconds against hosts, one line per tool, --forks value and crontab
                        layout, for the first converge and the no-op (log-log)
  speedups.svg          "times faster than the peer" for every area, one bar per measure
Each record is the last one written for its key, so a partial re-run of one script updates
only its own points; the caption names the runs, commits and load averages used.
"""
import json
import re
import os
import sys

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "bench/out/results.jsonl")
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "docs/img")

# Stable output: no date in the metadata, ids that do not change from run to run, text kept
# as text (small files, selectable labels).
plt.rcParams.update({"svg.hashsalt": "overlay-bench", "svg.fonttype": "none", "font.size": 11})
METADATA = {"Date": None, "Creator": "bench/charts.py"}
FORK_COLORS = {1: "#9e3a26", 2: "#d9822b", 5: "#2f7fbf", 10: "#1b9e77"}
AREA_COLORS = {"validate": "#2f7fbf", "cron": "#7b5ea7", "inventory": "#1b9e77", "apply": "#d9822b", "converge": "#c0392b"}
AREAS = ["validate", "cron", "inventory", "apply", "converge"]


def load(path):
    """Every record, in file order (malformed lines are reported and skipped)."""
    records = []
    with open(path) as fh:
        for number, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as error:
                print(f"{path}:{number}: skipped, not JSON ({error})", file=sys.stderr)
    return records


def latest(records, kind, key):
    """The last record of `kind` for each key(record), in first-seen key order."""
    found = {}
    for r in records:
        if r.get("kind") == kind:
            found[key(r)] = r
    return found


def caption(used):
    """Which runs the chart shows, with their commits and load averages."""
    if not used:
        return ""
    runs = sorted({r["run"] for r in used})
    commits = sorted({r.get("commit", "?") for r in used})
    loads = [float(r.get("load", 0)) for r in used]
    when = runs[0] if len(runs) == 1 else f"{runs[0]} to {runs[-1]}"
    return (f"measured {when}, commit {', '.join(commits)}, 2 cores, "
            f"load average {min(loads):.1f}-{max(loads):.1f} while measuring")


def seconds_label(value, _):
    return f"{value:g} s" if value >= 0.01 else f"{value * 1000:g} ms"


def hosts_label(value, _):
    return f"{value:,.0f}"


def scaling_chart(records, path):
    cells = latest(records, "converge-scale", lambda r: (r["layout"], r["forks"], r["hosts"], r["step"]))
    peers = latest(records, "converge-peer", lambda r: (r["tool"], r["hosts"]))
    if not cells and not peers:
        print("no converge records: converge-scaling.svg not written", file=sys.stderr)
        return
    fig, axes = plt.subplots(1, 2, figsize=(12, 6.2), sharey=True)
    steps = [("first", "first converge (every host changes)"), ("noop", "no-op converge (nothing changes)")]
    forks_values = sorted({k[1] for k in cells})
    largest = max([k[2] for k in cells] + [k[1] for k in peers] + [1])
    for ax, (step, title) in zip(axes, steps):
        for layout, style, marker, name in [("own", "-", "o", "a crontab per host"), ("shared", "--", "s", "one shared crontab")]:
            for forks in forks_values:
                points = sorted((k[2], r["seconds"]) for k, r in cells.items() if k[0] == layout and k[1] == forks and k[3] == step)
                if not points:
                    continue
                xs, ys = zip(*points)
                ax.plot(xs, ys, linestyle=style, marker=marker, color=FORK_COLORS.get(forks, "#555555"), linewidth=1.8,
                        markersize=5, label=f"overlay, {name}, --forks {forks}")
            # A layout cut short by the bench's time cap says so where its line stops.
            shared_hosts = [k[2] for k in cells if k[0] == layout and k[3] == step]
            if layout == "shared" and shared_hosts and max(shared_hosts) < largest:
                ax.text(0.98, 0.03, f"one shared crontab, {largest:,} hosts: not run\n(quadratic today, issue 13; the bench's time cap)",
                        transform=ax.transAxes, ha="right", va="bottom", fontsize=9, color="#444444",
                        bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none", "pad": 2})
        points = sorted((k[1], r[f"{step}_s"]) for k, r in peers.items() if k[0] == "ansible-playbook")
        if points:
            xs, ys = zip(*points)
            ax.plot(xs, ys, color="black", marker="^", markersize=7, linewidth=2.2, label="ansible-playbook, --forks 5")
        if step == "noop":
            ax.axhline(2.0, color="#777777", linestyle=":", linewidth=1.4, label="goal: no-op of 1,000 hosts under 2 s")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(title)
        ax.set_xlabel("hosts in the fleet (local connection)")
        ax.xaxis.set_major_formatter(FuncFormatter(hosts_label))
        ax.yaxis.set_major_formatter(FuncFormatter(seconds_label))
        ax.grid(True, which="major", color="#dddddd", linewidth=0.8)
        ax.grid(True, which="minor", color="#f0f0f0", linewidth=0.5)
    axes[0].set_ylabel("wall-clock seconds (log scale)")
    fig.suptitle("overlay converge: time against fleet size", fontsize=14, y=0.985)
    fig.text(0.5, 0.935, caption(list(cells.values()) + list(peers.values())), ha="center", fontsize=9, color="#555555")
    # One legend column per group (a crontab per host, one shared crontab, the peer).
    seen = {}
    for ax in axes:
        for h, label in zip(*ax.get_legend_handles_labels()):
            seen.setdefault(label, h)
    groups = [[label for label in seen if "crontab per host" in label], [label for label in seen if "shared crontab" in label],
              [label for label in seen if not ("crontab per host" in label or "shared crontab" in label)]]
    groups = [g for g in groups if g]
    rows = max(len(g) for g in groups)
    handles, labels = [], []
    for g in groups:
        for i in range(rows):
            handles.append(seen[g[i]] if i < len(g) else Line2D([], [], alpha=0))
            labels.append(g[i] if i < len(g) else "")
    fig.legend(handles, labels, loc="lower center", ncol=len(groups), fontsize=9, frameon=False)
    fig.tight_layout(rect=(0, 0.03 + 0.034 * rows, 1, 0.93))
    fig.savefig(path, metadata=METADATA)
    plt.close(fig)
    print(f"wrote {path}")


def speedups_chart(records, path):
    ratios = latest(records, "ratio", lambda r: (r["area"], r["label"], r["peer"]))
    # The input's size is part of its label (3,004 or 3,006 files as the generator grew): of
    # labels that differ only in their numbers, the newest run's are shown (a run's own 10-
    # and 100-host bars both stay).
    def shape(key):
        return (key[0], re.sub(r"[0-9][0-9.,]*", "#", key[1]), key[2])
    newest = {}
    for key, r in ratios.items():
        newest[shape(key)] = max(newest.get(shape(key), ""), r["run"])
    ratios = {key: r for key, r in ratios.items() if r["run"] == newest[shape(key)]}
    rows = [r for area in AREAS for r in ratios.values() if r["area"] == area]
    rows += [r for r in ratios.values() if r["area"] not in AREAS]
    # A time of zero (a run too fast for the clock, or a failed measurement) has no ratio.
    rows = [r for r in rows if r.get("overlay_s", 0) > 0 and r.get("peer_s", 0) > 0]
    if not rows:
        print("no ratio records: speedups.svg not written", file=sys.stderr)
        return
    fig, ax = plt.subplots(figsize=(12, 0.42 * len(rows) + 1.9))
    values = [r["peer_s"] / r["overlay_s"] for r in rows]
    ys = list(range(len(rows)))[::-1]
    colors = [AREA_COLORS.get(r["area"], "#777777") for r in rows]
    # Bars grow from 1× (as fast as the peer): right when overlay is faster, left when slower.
    ax.barh(ys, [v - 1 for v in values], left=1, color=colors, height=0.68)
    ax.set_xscale("log")
    ax.set_yticks(ys)
    ax.set_yticklabels([f"{r['area']}: {r['label']}  (vs {r['peer']})" for r in rows], fontsize=9.5)
    for y, v in zip(ys, values):
        text = f"{v:,.0f}×" if v >= 10 else f"{v:.2g}×"
        if v >= 1:
            ax.text(v * 1.08, y, text, va="center", ha="left", fontsize=9.5)
        else:
            ax.text(v / 1.08, y, text, va="center", ha="right", fontsize=9.5)
    ax.axvline(1.0, color="#333333", linewidth=1)
    ax.set_xlim(min(0.2, min(values) / 3), max(values) * 4)
    ax.annotate("← peer faster | overlay faster →", xy=(1.0, 1.0), xycoords=("data", "axes fraction"), xytext=(0, 4),
                textcoords="offset points", ha="center", va="bottom", fontsize=8.5, color="#555555")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,g}×"))
    ax.set_xlabel("times faster than the peer (the peer's time ÷ overlay's time, log scale)")
    ax.grid(True, axis="x", which="major", color="#dddddd")
    ax.set_axisbelow(True)
    ax.set_title("overlay against its peers: same input, same machine, one run", fontsize=13, pad=18)
    fig.text(0.5, 0.005, caption(rows), ha="center", va="bottom", fontsize=9, color="#555555")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    fig.savefig(path, metadata=METADATA)
    plt.close(fig)
    print(f"wrote {path}")


def main():
    if not os.path.exists(RESULTS):
        sys.exit(f"{RESULTS} does not exist: run the bench scripts first (make bench)")
    records = load(RESULTS)
    os.makedirs(OUT, exist_ok=True)
    scaling_chart(records, os.path.join(OUT, "converge-scaling.svg"))
    speedups_chart(records, os.path.join(OUT, "speedups.svg"))


if __name__ == "__main__":
    main()
