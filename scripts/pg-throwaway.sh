#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests, CI, benchmarks and trying the PostgreSQL journal:
#   scripts/pg-throwaway.sh start DIR   initdb in DIR (created if missing), start on a free loopback port,
#                                       print the URL (postgres://ashare:PASSWORD@127.0.0.1:PORT/postgres)
#   scripts/pg-throwaway.sh stop DIR    stop the server and remove DIR
# PostgreSQL refuses to run as root: as root the cluster belongs to PG_USER (default nobody), run via runuser.
# The binaries come from PG_BIN, else Debian's /usr/lib/postgresql/15/bin, else `pg_config --bindir`.
# Logins over TCP need the password (scram-sha-256); it is random per cluster and only in the URL printed.
set -euo pipefail
cmd="${1:-}"; dir="${2:-}"
if [ -z "$cmd" ] || [ -z "$dir" ]; then echo "usage: $0 start|stop DIR" >&2; exit 2; fi
bin="${PG_BIN:-/usr/lib/postgresql/15/bin}"
if [ ! -x "$bin/initdb" ] && command -v pg_config >/dev/null 2>&1; then bin="$(pg_config --bindir)"; fi
if [ ! -x "$bin/initdb" ]; then echo "no PostgreSQL server binaries (initdb) in $bin: install postgresql-15 or set PG_BIN" >&2; exit 3; fi
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u "${PG_USER:-nobody}" -- "$@"; else "$@"; fi
}
case "$cmd" in
  start)
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    chmod 700 "$dir"
    if [ "$(id -u)" = 0 ]; then chown "${PG_USER:-nobody}" "$dir"; fi
    password="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
    printf '%s\n' "$password" > "$dir/pwfile"
    if [ "$(id -u)" = 0 ]; then chown "${PG_USER:-nobody}" "$dir/pwfile"; fi
    chmod 600 "$dir/pwfile"
    as_owner "$bin/initdb" -D "$dir/data" -U ashare --pwfile="$dir/pwfile" --auth-local=trust --auth-host=scram-sha-256 \
      -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    rm -f "$dir/pwfile"
    for attempt in 1 2 3 4 5; do
      port="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})")"
      if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
          -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null 2>&1; then
        echo "$port" > "$dir/port"
        echo "postgres://ashare:${password}@127.0.0.1:${port}/postgres"
        exit 0
      fi
    done
    cat "$dir/server.log" >&2 2>/dev/null || true
    echo "PostgreSQL did not start in $dir" >&2; exit 1 ;;
  stop)
    if [ -d "$dir/data" ]; then as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir" ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
