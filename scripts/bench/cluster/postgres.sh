# Sourced by the cluster benchmarks: a throw-away PostgreSQL (initdb into a temp folder,
# pg_ctl on a free loopback port, run as `postgres` through runuser when we are root), the
# recipe of Tests/JournalTests/Support/PostgresTestCluster.swift. Server settings are the
# distribution's defaults (fsync on, synchronous_commit on) but max_connections.
#   pg_start            sets pg_folder, pg_port, pg_url (database "bulkhead")
#   pg_stop             immediate stop, folder removed (also called from the caller's trap)
#   require_release_binary_and_wrk   sets bin (BULKHEAD_BIN or the release build) or exits

pg_bin=
for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV) $(command -v initdb 2>/dev/null | xargs -r dirname); do
    [[ -x $candidate/initdb && -x $candidate/pg_ctl ]] && { pg_bin=$candidate; break; }
done
pg_folder=
pg_port=
pg_url=

pg_run() {  # tool args…
    local tool=$1; shift
    if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$pg_bin/$tool" "$@"; else "$pg_bin/$tool" "$@"; fi
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

pg_start() {
    [[ -n $pg_bin ]] || { echo "PostgreSQL binaries (initdb, pg_ctl) not found: apt-get install postgresql" >&2; return 1; }
    pg_folder=$(mktemp -d "${BENCH_PG_PARENT:-/tmp}/bulkhead-bench-pg.XXXXXX")
    [[ $(id -u) == 0 ]] && chown -R postgres:postgres "$pg_folder"
    pg_run initdb -D "$pg_folder/data" -U postgres --auth=trust --no-sync -E UTF8 --locale=C >"$pg_folder/initdb.log" 2>&1 \
        || { cat "$pg_folder/initdb.log" >&2; return 1; }
    local attempt
    for attempt in 1 2 3 4 5; do
        pg_port=$(free_port)
        if pg_run pg_ctl -D "$pg_folder/data" -l "$pg_folder/server.log" -w -t 60 \
            -o "-p $pg_port -k $pg_folder -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null; then
            pg_run psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE bulkhead" postgres || return 1
            pg_url=postgres://postgres@127.0.0.1:$pg_port/bulkhead
            return 0
        fi
    done
    echo "pg_ctl start failed" >&2; cat "$pg_folder/server.log" >&2
    return 1
}

pg_psql() { pg_run psql -h 127.0.0.1 -p "$pg_port" -U postgres -d bulkhead -qAt "$@"; }

pg_stop() {
    [[ -n $pg_folder ]] || return 0
    pg_run pg_ctl -D "$pg_folder/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$pg_folder"
    pg_folder=
}

require_release_binary_and_wrk() {
    bin=${BULKHEAD_BIN:-}
    if [[ -z $bin ]]; then
        for candidate in .build-release/release/bulkhead .build/release/bulkhead; do
            [[ -x $candidate ]] && { bin=$candidate; break; }
        done
    fi
    [[ -n $bin && -x $bin ]] || { echo "no release binary: swift build -c release --scratch-path .build-release --product bulkhead" >&2; exit 1; }
    command -v wrk >/dev/null || { echo "wrk not installed" >&2; exit 1; }
}
