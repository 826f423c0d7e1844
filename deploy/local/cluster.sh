#!/bin/bash
# cluster.sh: the local cluster launcher, used by `make run`, `make stop` and
# the tests.
#
#   cluster.sh run    start Redis, PostgreSQL, the shards, the gateways and
#                     the bridge on loopback; stay in the foreground;
#                     Ctrl-C (or `cluster.sh stop`) stops everything
#   cluster.sh stop   stop the cluster that runs from the same ND_VAR
#
# Every process is supervised: one that dies is started again after a
# second, as Kubernetes would restart its pod.  A file var/hold/NAME keeps
# process NAME from being restarted (tests use it to keep a shard down).
#
# Environment (all optional):
#   ND_VAR          state folder (default ./var): data, logs, sockets
#   ND_PORT_OFFSET  added to every port (default 0), so that a test
#                   cluster and `make run` can run side by side
#   SHARD_COUNT     shards (default 4)
#   ND_GATEWAYS     gateway replicas (default 1); replica r listens on
#                   HTTP 8080+10r and WebSocket 8081+10r (plus the offset)
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VAR=${ND_VAR:-$ROOT/var}
OFF=${ND_PORT_OFFSET:-0}
SHARDS=${SHARD_COUNT:-4}
GATEWAYS=${ND_GATEWAYS:-1}
BIN=$ROOT/bin

REDIS_PORT=$((17379 + OFF))
PG_PORT=$((17432 + OFF))
export SHARD_COUNT=$SHARDS
export REDIS_ADDR=127.0.0.1:$REDIS_PORT
export DATABASE_URL=postgresql://nd@127.0.0.1:$PG_PORT/nd
export SHARD_REQ_PORT_BASE=$((17100 + OFF))
export SHARD_PUB_PORT_BASE=$((17200 + OFF))
export SHARD_PROBE_PORT_BASE=$((17300 + OFF))
export BRIDGE_PROBE_ADDR=127.0.0.1:$((17290 + OFF))
# All replicas sit behind one public origin, as behind a load balancer.
export SIWE_DOMAIN=${SIWE_DOMAIN:-127.0.0.1:$((8080 + OFF))}
export SIWE_URI=${SIWE_URI:-http://127.0.0.1:$((8080 + OFF))}
export JWT_KEYS_FILE=$VAR/secrets/jwt-keys
GW_ADDRS=""
for ((r = 0; r < GATEWAYS; r++)); do
	GW_ADDRS="$GW_ADDRS${GW_ADDRS:+,}127.0.0.1:$((8080 + OFF + 10 * r))"
done
export GATEWAY_HTTP_ADDRS=$GW_ADDRS

say() { printf 'cluster: %s\n' "$*"; }

pg_bin() {
	ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

# PG_AS: the prefix that runs a command as the postgres user when we are
# root (PostgreSQL refuses to run as root).  It is a command prefix, not a
# shell function, so that the supervised pid is PostgreSQL's own (setpriv
# and env exec): a stop signal must reach the server, not a shell.
PG_AS=()
if [ "$(id -u)" = 0 ]; then
	PG_AS=(setpriv --reuid postgres --regid postgres --init-groups env "HOME=$VAR/pg")
fi

SUPERVISORS=()
DB_SUPERVISORS=()

# supervise NAME STOPSIG CMD...: run CMD, restarting it when it exits.
supervise() {
	local name=$1 stopsig=$2
	shift 2
	(
		child=0
		trap 'kill -'"$stopsig"' $child 2>/dev/null; wait $child 2>/dev/null; exit 0' TERM INT
		while :; do
			if [ -e "$VAR/hold/$name" ]; then
				sleep 0.2 &
				wait $!
				continue
			fi
			"$@" >>"$VAR/log/$name.log" 2>&1 &
			child=$!
			echo "$child" >"$VAR/run/$name.pid"
			wait "$child"
			rc=$?
			printf '{"proc":"launcher","msg":"process exited","name":"%s","rc":%d}\n' \
			    "$name" "$rc" >>"$VAR/log/$name.log"
			sleep 1 &
			wait $!
		done
	) &
}

wait_for() { # wait_for SECONDS CMD...: poll CMD until it succeeds
	local deadline=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		if [ $SECONDS -ge $deadline ]; then
			return 1
		fi
		sleep 0.1
	done
}

start_stores() {
	local pgbin
	pgbin=$(pg_bin)
	[ -n "$pgbin" ] || { say "PostgreSQL is not installed (make deps)"; return 1; }
	mkdir -p "$VAR/redis" "$VAR/pg" "$VAR/run"
	if [ "$(id -u)" = 0 ]; then
		chown postgres:postgres "$VAR/pg" "$VAR/run"
		chmod 700 "$VAR/pg"
	fi
	if [ ! -f "$VAR/pg/PG_VERSION" ]; then
		say "initdb $VAR/pg"
		"${PG_AS[@]}" "$pgbin/initdb" -D "$VAR/pg" -U nd --auth=trust -E UTF8 \
		    >>"$VAR/log/initdb.log" 2>&1 || { say "initdb failed: $VAR/log/initdb.log"; return 1; }
	fi
	supervise redis TERM redis-server --port "$REDIS_PORT" --bind 127.0.0.1 \
	    --save '' --appendonly no --dir "$VAR/redis" --daemonize no
	DB_SUPERVISORS+=($!)
	# SIGINT is PostgreSQL's fast shutdown.  wal_init_zero=off: zero-
	# filling each new 16 MB WAL segment stalled every waiting commit for
	# ~60 ms (docs/operations.md).
	supervise postgres INT "${PG_AS[@]}" "$pgbin/postgres" -D "$VAR/pg" -p "$PG_PORT" \
	    -k "$VAR/run" -c listen_addresses=127.0.0.1 -c wal_init_zero=off
	DB_SUPERVISORS+=($!)
	wait_for 60 "$pgbin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" ||
	    { say "PostgreSQL did not start: $VAR/log/postgres.log"; return 1; }
	wait_for 30 redis-cli -p "$REDIS_PORT" ping ||
	    { say "Redis did not start: $VAR/log/redis.log"; return 1; }
	if ! psql -h 127.0.0.1 -p "$PG_PORT" -U nd -d postgres -tAc \
	    "SELECT 1 FROM pg_database WHERE datname = 'nd'" | grep -q 1; then
		psql -h 127.0.0.1 -p "$PG_PORT" -U nd -d postgres -qc \
		    "CREATE DATABASE nd" >/dev/null || return 1
	fi
}

start_apps() {
	local i r
	mkdir -p "$VAR/secrets"
	if [ ! -s "$JWT_KEYS_FILE" ]; then
		umask 077
		printf 'k1:%s\n' "$(head -c 32 /dev/urandom | od -An -v -tx1 | tr -d ' \n')" \
		    >"$JWT_KEYS_FILE"
		umask 022
	fi
	for ((i = 0; i < SHARDS; i++)); do
		SHARD_INDEX=$i supervise "shard-$i" TERM "$BIN/shard"
		SUPERVISORS+=($!)
	done
	for ((r = 0; r < GATEWAYS; r++)); do
		GATEWAY_HTTP_ADDR=127.0.0.1:$((8080 + OFF + 10 * r)) \
		GATEWAY_WS_ADDR=127.0.0.1:$((8081 + OFF + 10 * r)) \
		    supervise "gateway-$r" TERM "$BIN/gateway"
		SUPERVISORS+=($!)
	done
	supervise bridge TERM "$BIN/bridge"
	SUPERVISORS+=($!)
}

stop_all() {
	trap - INT TERM
	say "stopping"
	[ ${#SUPERVISORS[@]} -gt 0 ] && kill -TERM "${SUPERVISORS[@]}" 2>/dev/null
	wait "${SUPERVISORS[@]}" 2>/dev/null
	[ ${#DB_SUPERVISORS[@]} -gt 0 ] && kill -TERM "${DB_SUPERVISORS[@]}" 2>/dev/null
	wait "${DB_SUPERVISORS[@]}" 2>/dev/null
	rm -f "$VAR/cluster.pid"
	say "stopped"
	exit 0
}

cmd_run() {
	mkdir -p "$VAR/log" "$VAR/run" "$VAR/hold"
	if [ -f "$VAR/cluster.pid" ] && kill -0 "$(cat "$VAR/cluster.pid")" 2>/dev/null; then
		say "a cluster is already running from $VAR (pid $(cat "$VAR/cluster.pid")); 'make stop' stops it"
		exit 1
	fi
	for p in $REDIS_PORT $PG_PORT $((8080 + OFF)); do
		if (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then
			say "port $p is in use by another program; set ND_PORT_OFFSET"
			exit 1
		fi
	done
	echo $$ >"$VAR/cluster.pid"
	trap stop_all INT TERM
	start_stores || stop_all
	start_apps
	if wait_for 60 "$BIN/ndctl" status; then
		say "ready"
	else
		say "not every process is ready yet: '$BIN/ndctl status' tells which"
	fi
	for ((r = 0; r < GATEWAYS; r++)); do
		say "REST      http://127.0.0.1:$((8080 + OFF + 10 * r))"
		say "WebSocket ws://127.0.0.1:$((8081 + OFF + 10 * r))"
	done
	say "logs      $VAR/log/  (Ctrl-C stops the cluster)"
	while :; do
		wait
		sleep 1 &
		wait $!
	done
}

cmd_stop() {
	local pid
	if [ ! -f "$VAR/cluster.pid" ] || ! kill -0 "$(cat "$VAR/cluster.pid")" 2>/dev/null; then
		say "no cluster is running from $VAR"
		return 0
	fi
	pid=$(cat "$VAR/cluster.pid")
	kill -TERM "$pid"
	wait_for 60 sh -c "! kill -0 $pid" || { say "cluster (pid $pid) did not stop"; return 1; }
	say "stopped"
}

case "${1:-}" in
run) cmd_run ;;
stop) cmd_stop ;;
*) echo "usage: $0 run|stop" >&2; exit 2 ;;
esac
