#!/usr/bin/env python3
"""Crash test for "acknowledged means durable" (see scripts/checks/crash.sh).

Each cycle starts `bulkhead serve` on a fresh port with a persistent data dir, drives
concurrent deposits (each with a unique Idempotency-Key), SIGKILLs the server at a random
moment under load, restarts it and checks, per account:

  1. balance >= sum of acknowledged deposits        (no acknowledged request lost)
  2. balance <= acknowledged + in-flight deposits   (nothing invented)
  3. after re-sending every unacknowledged request (and a sample of acknowledged ones) with
     its original key and body, balance == sum of all distinct requests (each applied once)

With --transfers N, N more clients move USDC between segments over the configured bridges
(majors -> stable, stable -> majors, majors -> alts) while the deposits run, and after every
restart (RISK.md "Bridges"):

  4. no transfer is `pending` (recovery finished each one: credit or refund)
  5. per transfer account, the sum of its balances over all segments == its funding, exactly
  6. every acknowledged transfer still has the state it was acknowledged with (none lost),
     and re-sending acknowledged ones with their keys returns the stored answer (none doubled)
"""
import argparse, decimal, hashlib, http.client, json, os, random, re, secrets, shutil
import signal, subprocess, sys, tempfile, threading, time

ACCOUNTS = 8
TRANSFER_ACCOUNTS = 4
TRANSFER_ROUTES = [("majors", "stable"), ("stable", "majors"), ("majors", "alts")]
TRANSFER_SEGMENTS = ["alts", "majors", "stable"]
TRANSFER_FUNDING = 1_000_000


class Server:
    def __init__(self, binary, config, data, log_path, extra_env):
        self.binary, self.config, self.data, self.log_path = binary, config, data, log_path
        self.env = dict(os.environ, **extra_env)
        self.process = None
        self.port = None

    def start(self, timeout):
        log = open(self.log_path, "ab")
        offset = log.tell()
        self.process = subprocess.Popen(
            [self.binary, "serve", "--host", "127.0.0.1", "--port", "0", "--config", self.config, "--data", self.data],
            stdout=log, stderr=subprocess.STDOUT, env=self.env, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}; see {self.log_path}")
            with open(self.log_path, "rb") as f:
                f.seek(offset)
                match = re.search(rb"listening on [^\s]*:(\d+)", f.read())
            if match:
                self.port = int(match.group(1))
                break
            time.sleep(0.05)
        else:
            raise RuntimeError(f"no 'listening on' line within {timeout}s; see {self.log_path}")
        while time.monotonic() < deadline:
            try:
                status, _ = request(self.port, "GET", "/readyz", None, None)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"/readyz not 200 within {timeout}s; see {self.log_path}")

    def kill(self):
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        if self.process:
            self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def request(port, method, path, body, key, idempotency_key=None, timeout=10):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/json"}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


class Ledger:
    """Every deposit ever sent: key -> (account, amount, acknowledged)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = {}

    def sent(self, key, account, amount):
        with self.lock:
            self.requests[key] = [account, amount, False]

    def acknowledged(self, key):
        with self.lock:
            self.requests[key][2] = True

    def unacknowledged(self):
        with self.lock:
            return [(k, a, m) for k, (a, m, ok) in self.requests.items() if not ok]

    def totals(self):
        acked, inflight, everything = {}, {}, {}
        with self.lock:
            for account, amount, ok in self.requests.values():
                everything[account] = everything.get(account, 0) + amount
                target = acked if ok else inflight
                target[account] = target.get(account, 0) + amount
        return acked, inflight, everything


def deposit(port, args, ledger, key, account, amount):
    body = {"account": account, "asset": "USDC", "amount": str(amount)}
    status, payload = request(port, "POST", f"/v1/segments/{args.segment}/collateral", body, args.key, key)
    if status == 200:
        ledger.acknowledged(key)
        return True
    if status in (429, 503):
        return False
    raise RuntimeError(f"deposit {key}: HTTP {status} {payload[:300]!r}")


def drive(port, args, ledger, cycle, stop, errors):
    def worker(index):
        n = 0
        while not stop.is_set():
            n += 1
            key = f"crash-{args.run}-{cycle}-{index}-{n}"
            account = f"crash-{args.run}-{index % ACCOUNTS}"
            amount = 1 + (n % 9)
            ledger.sent(key, account, amount)
            try:
                deposit(port, args, ledger, key, account, amount)
            except (OSError, http.client.HTTPException):
                return  # the server died under us: this request stays unacknowledged
            except RuntimeError as error:
                errors.append(str(error))
                return
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.concurrency)]
    for thread in threads:
        thread.start()
    return threads


def balances(port, args, accounts):
    result = {}
    for account in accounts:
        status, payload = request(port, "GET", f"/v1/segments/{args.segment}/accounts/{account}", None, args.key)
        if status == 404:
            result[account] = decimal.Decimal(0)
            continue
        if status != 200:
            raise RuntimeError(f"GET account {account}: HTTP {status} {payload[:300]!r}")
        result[account] = decimal.Decimal(json.loads(payload)["collateralValue"])
    return result


def verify(port, args, ledger, cycle):
    """Returns the number of acknowledged units lost (0 expected); raises on other violations."""
    acked, inflight, _ = ledger.totals()
    accounts = sorted(set(acked) | set(inflight))
    before = balances(port, args, accounts)
    lost = 0
    for account in accounts:
        low, high = acked.get(account, 0), acked.get(account, 0) + inflight.get(account, 0)
        if before[account] < low:
            lost += int(low - before[account])
            print(f"  LOSS cycle {cycle}: {account} balance {before[account]} < acknowledged {low}")
        if before[account] > high:
            raise RuntimeError(f"cycle {cycle}: {account} balance {before[account]} > everything sent {high}")
    # Settle every in-flight request: its key either returns the stored answer or applies it now.
    for key, account, amount in ledger.unacknowledged():
        for _ in range(50):
            if deposit(port, args, ledger, key, account, amount):
                break
            time.sleep(0.1)
        else:
            raise RuntimeError(f"cycle {cycle}: {key} still refused after retries")
    # Repeat some acknowledged requests: their idempotency records were committed with them,
    # so the repeats must change nothing.
    with ledger.lock:
        acknowledged = [(k, a, m) for k, (a, m, ok) in ledger.requests.items() if ok]
    for key, account, amount in random.sample(acknowledged, min(20, len(acknowledged))):
        if not deposit(port, args, ledger, key, account, amount):
            raise RuntimeError(f"cycle {cycle}: repeat of {key} refused")
    _, _, everything = ledger.totals()
    after = balances(port, args, accounts)
    for account in accounts:
        if after[account] != everything.get(account, 0):
            raise RuntimeError(f"cycle {cycle}: {account} balance {after[account]} != {everything.get(account, 0)} "
                               "after settling: a request was lost or applied twice")
    return lost


class Transfers:
    """Every transfer sent: key -> [body, answer or None]; ids seen; counters for the report."""

    def __init__(self):
        self.lock = threading.Lock()
        self.sent = {}
        self.funding = {}
        self.verified_through = 0
        self.lost = self.doubled = self.pending_seen = 0

    def accounts(self, run):
        return [f"tx-{run}-{k}" for k in range(TRANSFER_ACCOUNTS)]

    def acknowledged(self):
        with self.lock:
            return {k: v for k, v in self.sent.items() if v[1] is not None}


def fund_transfer_accounts(port, args, transfers):
    for account in transfers.accounts(args.run):
        for segment in ("majors", "stable"):
            body = {"account": account, "asset": "USDC", "amount": str(TRANSFER_FUNDING)}
            status, payload = request(port, "POST", f"/v1/segments/{segment}/collateral", body, args.key, f"fund-{args.run}-{segment}-{account}")
            if status != 200:
                raise RuntimeError(f"funding {account} in {segment}: HTTP {status} {payload[:200]!r}")
            transfers.funding[account] = transfers.funding.get(account, 0) + TRANSFER_FUNDING


def drive_transfers(port, args, transfers, cycle, stop, errors):
    def worker(index):
        n = 0
        while not stop.is_set():
            n += 1
            key = f"tx-{args.run}-{cycle}-{index}-{n}"
            source, destination = TRANSFER_ROUTES[(index + n) % len(TRANSFER_ROUTES)]
            body = {"account": f"tx-{args.run}-{index % TRANSFER_ACCOUNTS}", "from": source, "to": destination,
                    "asset": "USDC", "amount": f"{1 + n % 7}.5"}
            with transfers.lock:
                transfers.sent[key] = [body, None]
            try:
                status, payload = request(port, "POST", "/v1/transfers", body, args.key, key)
            except (OSError, http.client.HTTPException):
                return  # the server died under us: this transfer stays unacknowledged
            if status in (429, 503):
                continue
            if status != 200:
                errors.append(f"transfer {key}: HTTP {status} {payload[:300]!r}")
                return
            answer = json.loads(payload)
            with transfers.lock:
                transfers.sent[key][1] = answer
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.transfers)]
    for thread in threads:
        thread.start()
    return threads


def verify_transfers(port, args, transfers, cycle):
    """Checks 4-6 above; returns (lost, doubled) acknowledged transfers (0, 0 expected)."""
    acknowledged = transfers.acknowledged()
    accepted = {a["transfer"]["id"]: a["transfer"] for _, a in acknowledged.values() if a.get("decision") == "accepted"}
    # 4. Scan every id past the last verified one: none may be pending.
    highest = max([int(i[3:]) for i in accepted] + [transfers.verified_through])
    misses, number = 0, transfers.verified_through + 1
    while misses < 4 * max(1, args.transfers) or number <= highest:
        status, payload = request(port, "GET", f"/v1/transfers/tr-{number:09d}", None, args.key)
        if status == 200:
            misses = 0
            if json.loads(payload)["state"] == "pending":
                transfers.pending_seen += 1
                raise RuntimeError(f"cycle {cycle}: tr-{number:09d} is still pending after restart")
        elif status == 404:
            misses += 1
        else:
            raise RuntimeError(f"cycle {cycle}: GET tr-{number:09d}: HTTP {status} {payload[:200]!r}")
        number += 1
    transfers.verified_through = highest
    # 5. Conservation per account over all segments, exactly.
    for account in transfers.accounts(args.run):
        total = decimal.Decimal(0)
        for segment in TRANSFER_SEGMENTS:
            status, payload = request(port, "GET", f"/v1/segments/{segment}/accounts/{account}", None, args.key)
            if status == 200:
                total += sum(decimal.Decimal(b["balance"]) for b in json.loads(payload)["balances"] if b["asset"] == "USDC")
        if total != transfers.funding.get(account, 0):
            raise RuntimeError(f"cycle {cycle}: {account} holds {total} over all segments, funded {transfers.funding.get(account, 0)}")
    # 6. Acknowledged transfers keep their state; their replays change nothing.
    lost = doubled = 0
    for transfer_id, acked in accepted.items():
        status, payload = request(port, "GET", f"/v1/transfers/{transfer_id}", None, args.key)
        if status != 200 or json.loads(payload)["state"] != acked["state"]:
            lost += 1
            print(f"  LOST cycle {cycle}: {transfer_id} acknowledged {acked['state']}, now HTTP {status} {payload[:120]!r}")
    for key, (body, answer) in random.sample(sorted(acknowledged.items()), min(20, len(acknowledged))):
        status, payload = request(port, "POST", "/v1/transfers", body, args.key, key)
        replayed = json.loads(payload) if status == 200 else None
        if replayed is None or replayed.get("transfer", {}).get("id") != answer.get("transfer", {}).get("id"):
            doubled += 1
            print(f"  DOUBLED cycle {cycle}: replay of {key} answered HTTP {status} {payload[:120]!r}")
    transfers.lost += lost
    transfers.doubled += doubled
    return lost, doubled


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--segment", default="majors")
    parser.add_argument("--cycles", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--min-load", type=float, default=0.2, help="seconds of load before the kill, at least")
    parser.add_argument("--max-load", type=float, default=1.5)
    parser.add_argument("--start-timeout", type=float, default=60)
    parser.add_argument("--workdir", default=None)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--snapshot-interval", type=int, default=None,
                        help="BULKHEAD_SNAPSHOTS_INTERVAL for the server: exercise snapshot + tail recovery")
    parser.add_argument("--prune", action="store_true", help="BULKHEAD_SNAPSHOTS_PRUNE_JOURNAL=true")
    parser.add_argument("--transfers", type=int, default=0,
                        help="clients moving USDC between segments over the configured bridges during the load")
    args = parser.parse_args()
    args.run = secrets.token_hex(3)
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    workdir = args.workdir or tempfile.mkdtemp(prefix="bulkhead-crash-")
    data = os.path.join(workdir, "data")
    os.makedirs(data, exist_ok=True)
    environment = {}
    if args.snapshot_interval is not None:
        environment["BULKHEAD_SNAPSHOTS_INTERVAL"] = str(args.snapshot_interval)
    if args.prune:
        environment["BULKHEAD_SNAPSHOTS_PRUNE_JOURNAL"] = "true"
    server = Server(args.binary, args.config, data, os.path.join(workdir, "server.log"), environment)
    ledger = Ledger()
    transfers = Transfers()
    print(f"crash test: {args.cycles} cycles, {args.concurrency} clients, seed {seed}, workdir {workdir}")
    total_lost = 0
    try:
        for cycle in range(1, args.cycles + 1):
            server.start(args.start_timeout)
            if cycle > 1:
                total_lost += verify(server.port, args, ledger, cycle - 1)
                if args.transfers:
                    total_lost += sum(verify_transfers(server.port, args, transfers, cycle - 1))
            elif args.transfers:
                fund_transfer_accounts(server.port, args, transfers)
            stop, errors = threading.Event(), []
            threads = drive(server.port, args, ledger, cycle, stop, errors)
            if args.transfers:
                threads += drive_transfers(server.port, args, transfers, cycle, stop, errors)
            time.sleep(rng.uniform(args.min_load, args.max_load))  # the random crash moment
            server.kill()
            stop.set()
            for thread in threads:
                thread.join()
            if errors:
                raise RuntimeError(f"cycle {cycle}: unexpected answers: {errors[:3]}")
            acked, inflight, _ = ledger.totals()
            print(f"cycle {cycle:3d}: killed; {len(ledger.requests)} deposits sent so far, "
                  f"{sum(acked.values())} units acknowledged, {sum(inflight.values())} units in flight"
                  + (f"; {len(transfers.sent)} transfers sent, {len(transfers.acknowledged())} acknowledged" if args.transfers else ""))
        server.start(args.start_timeout)
        total_lost += verify(server.port, args, ledger, args.cycles)
        if args.transfers:
            total_lost += sum(verify_transfers(server.port, args, transfers, args.cycles))
        server.stop()
    except Exception:
        server.kill()
        print(f"FAILED; server log: {server.log_path}")
        raise
    acked = sum(1 for _, _, ok in ledger.requests.values() if ok)
    print(f"done: {args.cycles} kill -9 cycles, {len(ledger.requests)} requests, {acked} acknowledged "
          f"before their crash or settled after, lost: {total_lost}")
    if args.transfers:
        acknowledged = transfers.acknowledged()
        states = {}
        for _, answer in acknowledged.values():
            state = answer.get("transfer", {}).get("state") or f"rejected:{answer.get('reason')}"
            states[state] = states.get(state, 0) + 1
        print(f"transfers: {len(transfers.sent)} sent, {len(acknowledged)} acknowledged {dict(sorted(states.items()))}, "
              f"pending after restart: {transfers.pending_seen}, acknowledged lost: {transfers.lost}, doubled: {transfers.doubled}")
    if total_lost:
        sys.exit(1)
    if not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
