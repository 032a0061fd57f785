#!/usr/bin/env python3
"""SSE fan-out load (issue #18): N subscribers on one segment's event stream while an oracle
posts P prices/s to that segment, against a real `bulkhead serve` on loopback.

Every price names an unknown market, so each one is exactly one `price_rejected` event (an
accepted price carries no event); the market name carries the send time, so a subscriber's
lag is receipt time − the time the price was sent (HTTP, journal fsync, fan-out, socket).

Prints: events delivered/s (all subscribers), lag p50/p99 (a sample of subscribers parses
every event; the rest only count), server CPU (cores, from /proc) and memory (RSS, peak),
subscribers dropped. Bounded: at most 5,000 subscribers, 120 s, 20,000 prices/s.

    BULKHEAD_BIN   the binary (default .build-release/release/bulkhead)
    FANOUT_SUBSCRIBERS (1000)  FANOUT_PRICES_PER_SECOND (1000)  FANOUT_BATCH (10 prices a request)
    FANOUT_PUBLISHERS (16 keep-alive connections, in a process of their own)
    FANOUT_SECONDS (20 measured, after FANOUT_WARMUP 3)  FANOUT_SAMPLE (every 50th subscriber parses)
"""
import http.client
import json
import multiprocessing
import os
import re
import resource
import selectors
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SUBSCRIBERS = min(5000, int(os.environ.get("FANOUT_SUBSCRIBERS", "1000")))
RATE = min(20000, int(os.environ.get("FANOUT_PRICES_PER_SECOND", "1000")))
BATCH = max(1, int(os.environ.get("FANOUT_BATCH", "10")))
PUBLISHERS = min(64, max(1, int(os.environ.get("FANOUT_PUBLISHERS", "16"))))
SECONDS = min(120.0, float(os.environ.get("FANOUT_SECONDS", "20")))
WARMUP = min(30.0, float(os.environ.get("FANOUT_WARMUP", "3")))
SAMPLE_EVERY = max(1, int(os.environ.get("FANOUT_SAMPLE", "50")))
BIN = os.environ.get("BULKHEAD_BIN", os.path.join(ROOT, ".build-release/release/bulkhead"))
SEGMENT = "majors"
MARKER = b"\nevent: price_rejected"
SENT = re.compile(rb'"market":"L(\d+)"')


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_memory(pid):
    values = {}
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(("VmRSS:", "VmHWM:")):
            values[line.split(":")[0]] = int(line.split()[1]) / 1024
    return values.get("VmRSS", 0), values.get("VmHWM", 0)


def client_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


class Subscriber:
    def __init__(self, port, sampled):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setblocking(False)
        self.sampled = sampled
        self.pending = b""
        self.head = True
        self.events = 0
        self.closed = False
        request = (f"GET /v1/segments/{SEGMENT}/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   "Authorization: Bearer dev-read-key\r\nAccept: text/event-stream\r\n\r\n")
        self.sock.sendall(request.encode())

    def receive(self, lags, measuring):
        try:
            chunk = self.sock.recv(262144)
        except BlockingIOError:
            return
        if not chunk:
            self.closed = True
            return
        now = time.time_ns()
        data = self.pending + chunk
        if self.head:
            end = data.find(b"\r\n\r\n")
            if end < 0:
                self.pending = data
                return
            if not data.startswith(b"HTTP/1.1 200"):
                raise SystemExit(f"subscribe failed: {data[:200]!r}")
            self.head = False
            data = data[end + 4:]
        # Only whole events: up to the last blank line; the rest waits for the next read.
        cut = data.rfind(b"\n\n")
        if cut < 0:
            self.pending = data
            return
        done, self.pending = data[:cut + 2], data[cut + 2:]
        count = done.count(MARKER)
        if measuring:
            self.events += count
            if self.sampled:
                lags.extend((now - int(sent)) / 1e6 for sent in SENT.findall(done))


def publisher_process(port, stop, sent):
    """The oracle, in its own process (the subscribers' loop holds this one's GIL): each of
    PUBLISHERS keep-alive connections posts its share of the rate, paced."""
    threads = [threading.Thread(target=publish, args=(port, stop, sent), daemon=True) for _ in range(PUBLISHERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def publish(port, stop, sent):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    interval = BATCH * PUBLISHERS / RATE
    next_at = time.monotonic()
    while not stop.is_set():
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + ".000Z"
        base = time.time_ns()
        prices = [{"market": f"L{base + i}", "price": "1", "timestamp": stamp, "source": "fanout"} for i in range(BATCH)]
        connection.request("POST", f"/v1/segments/{SEGMENT}/prices", body=json.dumps({"prices": prices}),
                           headers={"Authorization": "Bearer dev-oracle-key", "Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"price post answered {response.status}")
        with sent.get_lock():
            sent.value += BATCH
        next_at += interval
        delay = next_at - time.monotonic()
        if delay > 0:
            time.sleep(delay)  # pacing the load generator, not synchronisation


def main():
    if not os.access(BIN, os.X_OK):
        raise SystemExit(f"no binary at {BIN}: swift build -c release --scratch-path .build-release --product bulkhead")
    work = tempfile.mkdtemp(prefix="bulkhead-fanout-")
    server = None
    try:
        config = os.path.join(work, "config")
        os.makedirs(config)
        for name in ("segments.json", "keys.json", "bridges.json"):
            shutil.copy(os.path.join(ROOT, "Config", name), config)
        with open(os.path.join(config, "service.json"), "w") as f:
            json.dump({"log": {"level": "warning"}, "segments": {"maxInFlight": 4096},
                       "http": {"addressRequestsPerSecond": 0, "connectionRequestsPerSecond": 0,
                                "maxConnectionsPerAddress": SUBSCRIBERS + 64},
                       "events": {"maxSubscribers": SUBSCRIBERS + 64}}, f)
        port = free_port()
        server = subprocess.Popen([BIN, "serve", "--host", "127.0.0.1", "--port", str(port), "--config", config,
                                   "--data", os.path.join(work, "data")],
                                  stdout=open(os.path.join(work, "server.log"), "w"), stderr=subprocess.STDOUT)
        for _ in range(300):
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                c.request("GET", "/readyz")
                if c.getresponse().status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)  # waiting for the server to come up
        else:
            raise SystemExit("server not ready: " + open(os.path.join(work, "server.log")).read())

        selector = selectors.DefaultSelector()
        subscribers = []
        for i in range(SUBSCRIBERS):
            subscriber = Subscriber(port, sampled=(i % SAMPLE_EVERY == 0))
            subscribers.append(subscriber)
            selector.register(subscriber.sock, selectors.EVENT_READ, subscriber)
        stop, sent = multiprocessing.Event(), multiprocessing.Value("q", 0)
        publisher = multiprocessing.Process(target=publisher_process, args=(port, stop, sent), daemon=True)
        rss_before, _ = proc_memory(server.pid)
        publisher.start()

        lags = []
        started = time.monotonic()
        measuring = False
        cpu0 = sent0 = 0
        deadline = started + WARMUP + SECONDS
        while True:
            now = time.monotonic()
            if not measuring and now >= started + WARMUP:
                measuring, cpu0, sent0, measured_at = True, proc_cpu_seconds(server.pid), sent.value, now
                client0 = client_cpu_seconds()
            if now >= deadline:
                break
            for key, _ in selector.select(timeout=0.2):
                subscriber = key.data
                subscriber.receive(lags, measuring)
                if subscriber.closed:
                    selector.unregister(subscriber.sock)
        elapsed = time.monotonic() - measured_at
        cpu = proc_cpu_seconds(server.pid) - cpu0
        client = client_cpu_seconds() - client0
        rss, peak = proc_memory(server.pid)
        stop.set()
        publisher.join(timeout=10)
        prices = sent.value - sent0
        metrics = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        metrics.request("GET", "/metrics")
        text = metrics.getresponse().read().decode()
        dropped = re.search(r'bulkhead_event_subscribers_dropped_total\{segment="%s"\} (\S+)' % SEGMENT, text)
        delivered = sum(s.events for s in subscribers)
        print(f"subscribers {SUBSCRIBERS} (lag sampled on {len(subscribers[::SAMPLE_EVERY])}), "
              f"prices {RATE}/s in batches of {BATCH} on {PUBLISHERS} connections, {elapsed:.1f} s measured after {WARMUP:.0f} s warm-up")
        print(f"prices sent            {prices / elapsed:10.0f} /s")
        print(f"events delivered       {delivered / elapsed:10.0f} /s  (ideal {prices / elapsed * SUBSCRIBERS:.0f} /s)")
        print(f"delivery lag           p50 {percentile(lags, 50):8.1f} ms   p99 {percentile(lags, 99):8.1f} ms   ({len(lags)} samples)")
        print(f"server CPU             {cpu / elapsed:10.2f} cores   (this client's subscribers: {client / elapsed:.2f} cores)")
        print(f"server memory          RSS {rss:.0f} MiB (before subscribers+load {rss_before:.0f} MiB), peak {peak:.0f} MiB")
        print(f"subscribers dropped    {dropped.group(1) if dropped else '?'}; still open {sum(not s.closed for s in subscribers)}")
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
