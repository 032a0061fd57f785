#!/usr/bin/env python3
"""Tally a schemathesis HAR report: answers by status class, per operation and in all.

The 2xx count says how many generated requests got past validation to the happy path, the
figure that tells whether the document's request schemas match what the server accepts.
Usage: schemathesis_tally.py report.har
"""
import json
import re
import sys
from collections import Counter, defaultdict
from urllib.parse import urlsplit

with open(sys.argv[1]) as f:
    entries = json.load(f)["log"]["entries"]

# Path segments that vary per request are folded into the route's shape.
by_route = defaultdict(Counter)
codes = defaultdict(Counter)
for entry in entries:
    request, status = entry["request"], entry["response"]["status"]
    path = urlsplit(request["url"]).path
    path = re.sub(r"^/v1/segments/[^/]+", "/v1/segments/{segment}", path) if path != "/v1/segments" else path
    path = re.sub(r"/accounts/[^/]+$", "/accounts/{account}", path)
    path = re.sub(r"^/v1/transfers/[^/]+$", "/v1/transfers/{transfer}", path)
    route = f"{request['method']} {path}"
    by_route[route][f"{status // 100}xx" if status else "none"] += 1
    if 400 <= status < 500:
        try:
            codes[route][json.loads(entry["response"]["content"].get("text") or "{}")["error"]["code"]] += 1
        except (ValueError, KeyError, TypeError):
            codes[route]["?"] += 1

total = Counter()
print("schemathesis answers by status class:")
for route in sorted(by_route):
    counts = by_route[route]
    total.update(counts)
    refused = ", ".join(f"{code} {n}" for code, n in codes[route].most_common(3))
    print(f"  {route:48} " + " ".join(f"{k}={counts[k]}" for k in sorted(counts)) + (f"  ({refused})" if refused else ""))
print(f"schemathesis tally: {sum(total.values())} requests, 2xx={total['2xx']}, 4xx={total['4xx']}, 5xx={total['5xx']}")
