#!/usr/bin/env python3
"""Push-to-applied latency of `overlay serve`: for each of N pushes, commit and push a new
SOUL.md to a local bare repo, send one signed webhook (GitHub's signature) and time until the
home shows the new file. Prints the samples in ms, one a line.

usage: gitops_latency.py PORT SECRET WORK_CLONE LIVE_FILE N
"""
import hashlib, hmac, json, os, subprocess, sys, time, urllib.request

port, secret, work, live, n = sys.argv[1], open(sys.argv[2]).read().strip(), sys.argv[3], sys.argv[4], int(sys.argv[5])
env = dict(os.environ, GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1")
for i in range(n):
    text = f"# Soul\n\nbench push {i} {time.time()}\n"
    with open(os.path.join(work, "SOUL.md"), "w") as f:
        f.write(text)
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    subprocess.run(git + ["commit", "-qam", f"push {i}"], cwd=work, check=True, env=env)
    subprocess.run(["git", "push", "-q", "origin", "HEAD:main"], cwd=work, check=True, env=env)
    body = json.dumps({"ref": "refs/heads/main"}).encode()
    sig = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/hooks/push", data=body, method="POST", headers={
        "X-GitHub-Event": "push", "X-GitHub-Delivery": f"bench-{i}-{time.time()}",
        "X-Hub-Signature-256": "sha256=" + sig, "Content-Type": "application/json"})
    start = time.perf_counter()
    with urllib.request.urlopen(req, timeout=30) as r:
        assert r.status == 202, r.status
    deadline = start + 60
    while True:
        try:
            with open(live) as f:
                if f.read() == text:
                    break
        except OSError:
            pass
        if time.perf_counter() > deadline:
            sys.exit(f"push {i} was not applied within 60 s")
        time.sleep(0.001)
    print(f"{(time.perf_counter() - start) * 1000:.1f}", flush=True)
