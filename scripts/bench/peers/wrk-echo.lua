-- wrk script: POST /echo with a fixed 128-byte body.
wrk.method = "POST"
wrk.body = string.rep("0123456789abcdef", 8)
wrk.headers["Content-Type"] = "application/octet-stream"
