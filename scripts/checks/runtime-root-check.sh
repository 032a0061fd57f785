#!/usr/bin/env bash
# Checks that the static-stdlib binary runs in a root holding only what the Dockerfile's
# runtime stage has: the binary, Config/ (without keys.json, as .dockerignore leaves it), an
# empty /data, and the shared libraries it links, each of which must come from a package the
# runtime stage has (bookworm-slim base + libssl3 zlib1g libsqlite3-0 libpq5). It runs `serve` there
# under chroot as uid 10001 (the image's user) with its own /proc (as a container has; Swift
# reads its arguments from /proc/self/cmdline), checks /healthz answers 200, that /v1 refuses
# with 503 no_api_keys without a keys file, and that SIGTERM stops it cleanly.
#
#   BULKHEAD_ROOTCHECK_CONFIG  release (default): the Dockerfile's static-stdlib release build.
#                              debug: the ordinary (dynamic) debug build that `swift build`
#                              already made, with the Swift runtime libraries copied in too —
#                              the same root mechanics without a release build (CI). A debug
#                              build cannot link Foundation statically (toolchain 6.3.1).
# Needs root (chroot, mknod).
set -euo pipefail
cd "$(dirname "$0")/../.."

config=${BULKHEAD_ROOTCHECK_CONFIG:-release}
[[ $config == release || $config == debug ]] || { echo "BULKHEAD_ROOTCHECK_CONFIG must be release or debug"; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "runtime-root-check: needs root for chroot"; exit 2; }

build_start=$(date +%s)
if [[ $config == release ]]; then
    # Own scratch folder, so the debug build in .build stays as it is.
    echo "building: swift build -c release --static-swift-stdlib --product bulkhead --scratch-path .build-release"
    swift build -c release --static-swift-stdlib --product bulkhead --scratch-path .build-release
    bin="$(swift build -c release --scratch-path .build-release --show-bin-path)/bulkhead"
else
    swift build --product bulkhead
    bin="$(swift build --show-bin-path)/bulkhead"
fi
echo "build took $(( $(date +%s) - build_start ))s"
swift_lib_dir=$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")/lib/swift/linux

root=$(mktemp -d /tmp/bulkhead-root.XXXXXX)
chmod 0755 "$root"
server=
cleanup() {
    if [[ -n $server ]] && kill -0 "$server" 2>/dev/null; then
        kill -KILL "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    rm -rf "$root"
}
trap cleanup EXIT

install -D -m 0755 "$bin" "$root/usr/local/bin/bulkhead"
mkdir -p "$root/app" "$root/data" "$root/tmp" "$root/dev" "$root/etc" "$root/proc"
cp -R Config "$root/app/Config"
rm -f "$root/app/Config/keys.json"
chown 10001:10001 "$root/data"
chmod 1777 "$root/tmp"
# What a container runtime provides.
mknod -m 666 "$root/dev/null" c 1 3
mknod -m 666 "$root/dev/urandom" c 1 9
mknod -m 666 "$root/dev/random" c 1 8
echo "bulkhead:x:10001:10001::/app:/usr/sbin/nologin" >"$root/etc/passwd"
echo "bulkhead:x:10001:" >"$root/etc/group"

# Shared libraries: copy each (resolving symlinks) to the same path inside the root, and check
# it belongs to a package the runtime image has.
# libpq5 (the PostgreSQL store) and what it pulls in from Debian's packages.
allowed="libc6 libgcc-s1 libstdc++6 libssl3 zlib1g libsqlite3-0 libpq5 libcom-err2 libffi8 libgmp10 libgnutls30
 libgssapi-krb5-2 libhogweed6 libidn2-0 libk5crypto3 libkeyutils1 libkrb5-3 libkrb5support0 libldap-2.5-0 libnettle8
 libp11-kit0 libsasl2-2 libtasn1-6 libunistring2"
allowed=$(echo $allowed)
libs=$(ldd "$bin" | awk '/=>/ { print $3 } !/=>/ && $1 ~ /^\// { print $1 }' | sort -u)
echo "shared libraries:"
bad=0
for lib in $libs; do
    [[ -e $lib ]] || continue
    real=$(readlink -f "$lib")
    install -D -m 0755 "$real" "$root$lib"
    package=$(dpkg -S "$real" 2>/dev/null | head -1 | cut -d: -f1 || true)
    [[ -n $package ]] || package=$(dpkg -S "$lib" 2>/dev/null | head -1 | cut -d: -f1 || true)
    if [[ -z $package && $config == debug && $real == "$swift_lib_dir"/* ]]; then
        echo "  $lib  (Swift runtime: linked statically in the release image)"
        continue
    fi
    echo "  $lib  ($package)"
    if [[ " $allowed " != *" $package "* ]]; then
        echo "  ^ not provided by the runtime image (allowed: $allowed)"
        bad=1
    fi
done
[[ $bad -eq 0 ]] || { echo "runtime-root-check: FAIL: the image would miss a library"; exit 1; }
echo "root size: $(du -sh "$root" | cut -f1)"

# Runs the binary inside the root as uid 10001, in a private mount namespace with a fresh
# /proc; unshare, sh and chroot each exec the next, so the process is bulkhead itself.
enter_root='mount -t proc proc "$0/proc" && exec chroot --userspec=10001:10001 "$0" /usr/local/bin/bulkhead "$@"'
in_root() {
    unshare --mount sh -c "$enter_root" "$root" "$@"
}

# 1. The binary starts in the root at all (libraries resolve, OpenSSL's RNG and SHA-256 work).
in_root keys new --role read --segments '*' | grep -q '^bhk_'
echo "ok: binary runs in the minimal root (bulkhead keys new)"

# 2. serve, /healthz, /v1 without keys, SIGTERM.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log="$root/tmp/server.log"
# Not through the function: a backgrounded function is a subshell, and $! must be the server.
unshare --mount sh -c "$enter_root" "$root" serve \
    --host 127.0.0.1 --port "$port" --config /app/Config --data /data >"$log" 2>&1 &
server=$!
healthy=0
for _ in $(seq 1 120); do
    if code=$(curl -s -o "$root/tmp/healthz" -w '%{http_code}' "http://127.0.0.1:$port/healthz" 2>/dev/null) && [[ $code == 200 ]]; then
        healthy=1
        break
    fi
    kill -0 "$server" 2>/dev/null || break
    sleep 0.5
done
if [[ $healthy -ne 1 ]]; then
    echo "runtime-root-check: FAIL: /healthz did not answer 200 within 60 s; server log:"
    tail -40 "$log"
    exit 1
fi
echo "ok: GET /healthz -> 200 $(cat "$root/tmp/healthz")"

in_root healthcheck --port "$port" --path /healthz
echo "ok: the image's HEALTHCHECK command (bulkhead healthcheck) passes"

code=$(curl -s -o "$root/tmp/v1" -w '%{http_code}' "http://127.0.0.1:$port/v1/segments" -H 'Authorization: Bearer dev-admin-key')
if [[ $code != 503 ]] || ! grep -q no_api_keys "$root/tmp/v1"; then
    echo "runtime-root-check: FAIL: without keys.json, GET /v1/segments answered $code: $(head -c 300 "$root/tmp/v1")"
    exit 1
fi
echo "ok: without keys.json /v1 answers 503 no_api_keys"

kill -TERM "$server"
stopped=0
for _ in $(seq 1 60); do
    if ! kill -0 "$server" 2>/dev/null; then stopped=1; break; fi
    sleep 0.5
done
if [[ $stopped -ne 1 ]]; then
    echo "runtime-root-check: FAIL: still running 30 s after SIGTERM"; tail -20 "$log"; exit 1
fi
status=0
wait "$server" || status=$?
server=
if [[ $status -ne 0 ]]; then
    echo "runtime-root-check: FAIL: exit status $status after SIGTERM"; tail -20 "$log"; exit 1
fi
echo "ok: SIGTERM -> clean exit (status 0)"
echo "runtime-root-check: PASS ($config build)"
