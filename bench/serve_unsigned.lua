-- wrk script: a push with no signature at all (401 before the body is read, and the
-- connection closed, so every request is a new connection).
wrk.method = "POST"
wrk.path = "/hooks/push"
wrk.body = '{"ref":"refs/heads/main"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-GitHub-Event"] = "push"
