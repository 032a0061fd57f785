#!/usr/bin/env python3
"""cluster-failover.sh's stopwatch: kill -9 PID, then poll SURVIVOR every POLL_MS until a read
and a durable write of SEGMENT both answer 200; prints the milliseconds from the kill to that
first pair of 200s (or "timeout"). usage: failover-probe.py PID SURVIVOR_URL SEGMENT [TIMEOUT_S]"""
import http.client, os, signal, sys, time
from urllib.parse import urlparse

pid, survivor, segment = int(sys.argv[1]), urlparse(sys.argv[2]), sys.argv[3]
timeout = float(sys.argv[4]) if len(sys.argv) > 4 else 30.0
poll = float(os.environ.get("POLL_MS", "20")) / 1000
key = {"Authorization": "Bearer dev-trading-key", "Content-Type": "application/json"}
write = '{"account":"a0","asset":"USDC","amount":"1"}'


def status(method, path, body=None):
    connection = http.client.HTTPConnection(survivor.hostname, survivor.port, timeout=5)
    try:
        connection.request(method, path, body=body, headers=key)
        return connection.getresponse().status
    except OSError:
        return 0
    finally:
        connection.close()


os.kill(pid, signal.SIGKILL)
killed = time.monotonic()
while time.monotonic() - killed < timeout:
    # Redirects are not followed: only the survivor serving the segment itself counts.
    if status("GET", f"/v1/segments/{segment}/accounts/a0") == 200 \
            and status("POST", f"/v1/segments/{segment}/collateral", write) == 200:
        print(round((time.monotonic() - killed) * 1000))
        sys.exit(0)
    time.sleep(poll)
print("timeout")
sys.exit(1)
