-- wrk script: a push signed with the wrong secret (a well-formed signature, so the body
-- is read and the HMAC computed before the 401, the most work a forger can cause).
-- WRK_DELAY_MS paces each connection (wrk measures latency without the delay).
wrk.method = "POST"
wrk.path = "/hooks/push"
wrk.body = '{"ref":"refs/heads/main","after":"0123456789abcdef0123456789abcdef01234567","commits":[]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-GitHub-Event"] = "push"
wrk.headers["X-GitHub-Delivery"] = "bench-forged"
wrk.headers["X-Hub-Signature-256"] = "sha256=" .. string.rep("0", 64)

local pause = tonumber(os.getenv("WRK_DELAY_MS") or "0")
if pause > 0 then
    function delay() return pause end
end
