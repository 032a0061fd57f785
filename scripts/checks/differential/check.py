#!/usr/bin/env python3
"""Differential check of HTTPWire's request parser against h11.

Every request in the corpus below is parsed by h11 (server side). The verdicts and the
parsed requests are written as a generated Swift fixture,
Tests/HTTPWireTests/Fixtures/H11Corpus.swift, which H11DifferentialTests runs through our
parser (at every split point): where h11 accepts, we must accept and agree on method,
target, version, headers and body; where h11 rejects, we must reject. Places where we are
deliberately stricter (or more lenient) than h11 are marked in the corpus with a reason and
checked the other way round.

    python3 scripts/checks/differential/check.py            # regenerate the fixture
    python3 scripts/checks/differential/check.py --check    # fail if the fixture is stale
    python3 scripts/checks/differential/check.py --run      # regenerate, then run the Swift test

Needs h11 (pip install h11). Deterministic: no randomness, no clock.
"""
import argparse
import os
import subprocess
import sys

import h11

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
FIXTURE = os.path.join(ROOT, "Tests", "HTTPWireTests", "Fixtures", "H11Corpus.swift")


class Case:
    def __init__(self, name, raw, stricter=None, lenient=None):
        self.name = name
        self.raw = raw if isinstance(raw, bytes) else raw.encode("utf-8")
        self.stricter = stricter  # h11 accepts, we reject on purpose: why
        self.lenient = lenient  # h11 rejects, we accept on purpose: why


def corpus():
    cases = []
    add = cases.append

    # Request lines: methods, targets, versions.
    methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PURGE", "M-SEARCH", "X.Y!~", "get"]
    targets = [
        "/", "/v1/segments/majors/accounts?status=at_risk", "/a%20b", "/~user/.;,=!$&'()*+:@",
        "/?", "/path?x=1&y=%2F#frag", "//double", "/" + "seg/" * 400,
    ]
    for method in methods:
        for target in targets:
            add(Case(f"line {method} {target[:40]}", f"{method} {target} HTTP/1.1\r\nHost: example.com\r\n\r\n"))
    add(Case("OPTIONS asterisk", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n"))
    add(Case("HTTP/1.0 without Host", "GET / HTTP/1.0\r\n\r\n"))
    add(Case("HTTP/1.0 with Host", "GET / HTTP/1.0\r\nHost: a\r\n\r\n"))
    add(Case("HTTP/1.0 keep-alive", "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"))

    # Header syntax variations that must survive unchanged.
    header_sets = {
        "mixed case names": ["HOST: a", "content-TYPE: application/json", "X-Request-Id: 42"],
        "no space after colon": ["Host:a", "X:v"],
        "tabs and spaces around value": ["Host: \t a \t", "X-A:\t\tb c\t"],
        "empty values": ["Host: a", "X-Empty:", "X-Blank:   "],
        "token punctuation in name": ["Host: a", "X-!#$%&'*+-.^_`|~: v"],
        "internal whitespace kept": ["Host: a", "X-A: a  b\tc"],
        "obs-text utf8 value": ["Host: a", "X-Name: caf\u00e9 \u65e5\u672c"],
        "repeated names in order": ["Host: a", "Accept: 1", "accept: 2", "ACCEPT: 3"],
        "quoted and commas": ["Host: a", 'X-Q: "a, b", c;d=e'],
        "host with port": ["Host: example.com:8080"],
        "host ipv4": ["Host: 127.0.0.1:80"],
        "host ipv6": ["Host: [::1]:8080"],
        "connection list": ["Host: a", "Connection: Keep-Alive, Upgrade"],
        "connection close": ["Host: a", "Connection: close"],
        "expect continue bodiless": ["Host: a", "Expect: 100-continue"],
        "long value": ["Host: a", "X-Long: " + "v" * 8000],
    }
    for name, lines in header_sets.items():
        add(Case(f"headers {name}", "GET / HTTP/1.1\r\n" + "".join(l + "\r\n" for l in lines) + "\r\n"))
    add(Case("sixty headers", "GET / HTTP/1.1\r\nHost: a\r\n" + "".join(f"X-H{i}: {i}\r\n" for i in range(59)) + "\r\n"))

    # Bodies framed by Content-Length.
    for size in [0, 1, 2, 100, 5000]:
        body = ("0123456789abcdef" * (size // 16 + 1))[:size]
        add(Case(f"content-length {size}", f"POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: {size}\r\n\r\n{body}"))
    add(Case("content-length binary-ish body", "PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\n\r\n\x00\x01\r\n\x7f\t"))
    add(Case("content-length duplicate identical", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc"))
    add(Case("content-length list identical", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\n\r\nabc"))
    add(Case("content-length 1.0", "POST / HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc"))
    add(Case("expect continue with body", "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi"))

    # Chunked bodies.
    def chunked(pieces, ext="", trailers="", hexcase=str.lower, zeros=""):
        out = ""
        for piece in pieces:
            out += zeros + hexcase(format(len(piece), "x")) + ext + "\r\n" + piece + "\r\n"
        return out + "0\r\n" + trailers + "\r\n"

    text = "The quick brown fox jumps over the lazy dog. " * 8
    splits = {
        "one chunk": [text],
        "two chunks": [text[:100], text[100:]],
        "byte chunks": list("hello"),
        "empty body": [],
        "sixteen chunks": [text[i:i + 23] for i in range(0, len(text), 23)],
    }
    for name, pieces in splits.items():
        add(Case(f"chunked {name}", "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(pieces)))
    add(Case("chunked extensions", "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(["abc", "defg"], ext=';name=value;x="q"')))
    add(Case("chunked trailers", "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(["abc"], trailers="Checksum: 1\r\nX-T: 2\r\n")))
    add(Case("chunked uppercase hex", "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked([text], hexcase=str.upper)))
    add(Case("chunked leading zeros", "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(["abc"], zeros="000")))
    add(Case("chunked coding case", "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: CHUNKED\r\n\r\n" + chunked(["abc"])))
    add(Case("chunked ext after space", "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3 ;a=b\r\nabc\r\n0\r\n\r\n",
             lenient="RFC 9112 chunk-ext allows BWS before ';'"))

    # Invalid: both must reject.
    bad = {
        "te gzip": "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n",
        "te gzip chunked": "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
        "te chunked twice": "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n",
        "te chunked then gzip": "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
        "te two fields": "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
        "cl plus": "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello",
        "cl hex": "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x5\r\n\r\nhello",
        "cl inner space": "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5 5\r\n\r\nhello",
        "cl empty": "POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n",
        "cl conflicting": "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
        "cl conflicting list": "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\nhello!",
        "cl overflow": "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 999999999999999999999\r\n\r\n",
        "space before colon": "GET / HTTP/1.1\r\nHost : a\r\n\r\n",
        "nul in value": "GET / HTTP/1.1\r\nHost: a\r\nX: a\x00b\r\n\r\n",
        "bad name char": "GET / HTTP/1.1\r\nHost: a\r\nX(Y): z\r\n\r\n",
        "missing host": "GET / HTTP/1.1\r\n\r\n",
        "version garbage": "GET / FOO/1.1\r\nHost: a\r\n\r\n",
        "lowercase version": "GET / http/1.1\r\nHost: a\r\n\r\n",
        "double space": "GET  / HTTP/1.1\r\nHost: a\r\n\r\n",
        "space in target": "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n",
        "no version": "GET /\r\nHost: a\r\n\r\n",
        "bad method": "GE(T / HTTP/1.1\r\nHost: a\r\n\r\n",
        "chunk size plus": "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n+5\r\nhello\r\n0\r\n\r\n",
        "chunk size hex prefix": "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n",
        "chunk data overrun": "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX\r\n0\r\n\r\n",
        "chunk size empty": "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n\r\nhello\r\n0\r\n\r\n",
    }
    for name, raw in bad.items():
        add(Case(f"invalid {name}", raw))

    # Where we are stricter than h11, on purpose.
    add(Case("bare LF line endings", "GET / HTTP/1.1\nHost: a\n\n", stricter="RFC 9112 §2.2: bare LF is a smuggling vector; we require CRLF"))
    add(Case("bare LF in header", "GET / HTTP/1.1\r\nHost: a\nX: b\r\n\r\n", stricter="bare LF as line terminator"))
    add(Case("two leading empty lines", "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"))
    add(Case("duplicate host", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"))
    add(Case("invalid host", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", stricter="RFC 9112 §3.2: invalid Host → 400"))
    add(Case("absolute-form", "GET http://a/x HTTP/1.1\r\nHost: a\r\n\r\n", stricter="origin-form only (no proxy)"))
    add(Case("asterisk for GET", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", stricter="asterisk-form is only for OPTIONS"))
    add(Case("control char in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\x01b\r\n\r\n", stricter="CTLs other than HTAB are not field-vchar"))
    add(Case("cl and te", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
             stricter="RFC 9112 §6.1 lets a server reject CL+TE; we do (request smuggling)"))
    add(Case("obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n  2\r\n\r\n", stricter="RFC 9112 §5.2: obs-fold rejected with 400"))
    add(Case("version 2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", stricter="505 for versions other than 1.0/1.1"))
    add(Case("version 1.2", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", stricter="505 for versions other than 1.0/1.1"))
    add(Case("te in 1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", stricter="RFC 9112 §6.1: TE in 1.0 is faulty framing"))
    add(Case("unknown expectation", "GET / HTTP/1.1\r\nHost: a\r\nExpect: fancy\r\n\r\n", stricter="417 for expectations other than 100-continue"))
    add(Case("chunk size trailing space", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3 \r\nabc\r\n0\r\n\r\n", stricter="whitespace after chunk-size only before ';'"))
    add(Case("chunk extension with ctl", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;a\x01\r\nabc\r\n0\r\n\r\n", stricter="CTLs in chunk extensions"))
    add(Case("chunk size many digits", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0000000003\r\nabc\r\n0\r\n\r\n", stricter="chunk size digits bounded (8 by default)"))
    add(Case("non-ascii target", "GET /caf\u00e9 HTTP/1.1\r\nHost: a\r\n\r\n"))
    return cases


def run_h11(raw):
    """('accept', request) or ('reject', reason); request is (method, target, version, headers, body)."""
    conn = h11.Connection(h11.SERVER)
    conn.receive_data(raw)
    conn.receive_data(b"")  # end of input: an unfinished request is an error, not NEED_DATA
    request, body = None, b""
    try:
        while True:
            event = conn.next_event()
            if isinstance(event, h11.Request):
                request = event
            elif isinstance(event, h11.Data):
                body += event.data
            elif isinstance(event, h11.EndOfMessage):
                headers = [[n.decode("latin-1"), v.decode("latin-1")] for n, v in request.headers.raw_items()]
                return "accept", (request.method.decode(), request.target.decode("latin-1"),
                                  request.http_version.decode(), headers, body)
            elif event is h11.NEED_DATA or isinstance(event, h11.ConnectionClosed):
                return "reject", "incomplete"
    except h11.RemoteProtocolError as error:
        return "reject", str(error)


def swift_literal(text):
    out = []
    for ch in text:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif code < 0x20 or code == 0x7F or code > 0x7E:
            out.append("\\u{%x}" % code)
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def generate():
    lines = [
        "// Generated by scripts/checks/differential/check.py from h11 %s. Do not edit; rerun the script." % h11.__version__,
        "",
        "extension DifferentialCase {",
        "    static let h11Corpus: [DifferentialCase] = [",
    ]
    summary = {"accept": 0, "reject": 0, "stricter": 0, "lenient": 0}
    problems = []
    for case in corpus():
        verdict, detail = run_h11(case.raw)
        if case.stricter and verdict != "accept":
            problems.append(f"{case.name}: marked stricter but h11 rejects ({detail})")
        if case.lenient and verdict != "reject":
            problems.append(f"{case.name}: marked lenient but h11 accepts")
        expect_accept = (verdict == "accept" and not case.stricter) or (verdict == "reject" and bool(case.lenient))
        summary[verdict] += 1
        if case.stricter:
            summary["stricter"] += 1
        if case.lenient:
            summary["lenient"] += 1
        try:
            raw_text = case.raw.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"{case.name}: raw bytes must be UTF-8 to become a Swift literal")
            continue
        fields = [f"name: {swift_literal(case.name)}", f"raw: {swift_literal(raw_text)}",
                  f"h11Accepts: {'true' if verdict == 'accept' else 'false'}",
                  f"expectAccept: {'true' if expect_accept else 'false'}"]
        if verdict == "accept":
            method, target, version, headers, body = detail
            header_literals = ", ".join(
                "[%s, %s]" % (swift_literal(n), swift_literal(v.encode("latin-1").decode("utf-8"))) for n, v in headers)
            fields += [f"method: {swift_literal(method)}", f"target: {swift_literal(target)}",
                       f"version: {swift_literal(version)}", f"headers: [{header_literals}]",
                       f"body: {swift_literal(body.decode('utf-8'))}"]
        else:
            fields.append(f"h11Error: {swift_literal(detail)}")
        lines.append("        DifferentialCase(" + ", ".join(fields) + "),")
    lines += ["    ]", "}", ""]
    return "\n".join(lines), summary, problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="fail if the fixture differs from a fresh generation")
    parser.add_argument("--run", action="store_true", help="after regenerating, run the Swift differential test")
    args = parser.parse_args()

    text, summary, problems = generate()
    for problem in problems:
        print("corpus problem:", problem, file=sys.stderr)
    if problems:
        return 2
    print("h11 %s: %d accepted, %d rejected; %d marked stricter, %d marked lenient"
          % (h11.__version__, summary["accept"], summary["reject"], summary["stricter"], summary["lenient"]))
    if args.check:
        current = open(FIXTURE, encoding="utf-8").read() if os.path.exists(FIXTURE) else ""
        if current != text:
            print("fixture is stale: run scripts/checks/differential/check.py", file=sys.stderr)
            return 1
        print("fixture up to date:", os.path.relpath(FIXTURE, ROOT))
        return 0
    os.makedirs(os.path.dirname(FIXTURE), exist_ok=True)
    with open(FIXTURE, "w", encoding="utf-8") as out:
        out.write(text)
    print("wrote", os.path.relpath(FIXTURE, ROOT))
    if args.run:
        return subprocess.call(["swift", "test", "--filter", "H11DifferentialTests"], cwd=ROOT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
