#!/bin/bash
# run.sh: `make bench`.  Prints each figure beside its baseline, measured in
# the same run on the same machine, as a value and a ratio.
#
# Servers are pinned to core 0 and load generators to core 1 (taskset);
# every throughput figure is the median of RUNS runs.  Uses its own cluster
# in build/bench-var (ports offset by 2000) with one shard per quadrant.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
RUNS=${BENCH_RUNS:-3}
DUR=${BENCH_SECONDS:-5}
BV=$ROOT/build/bench-var
OUT=$BV/out
export ND_VAR=$BV ND_PORT_OFFSET=2000 ND_GATEWAYS=1 SHARD_COUNT=4
GW=http://127.0.0.1:10080
NGINX_PORT=10088

fig() { sed -n "s/^figure $1 \([0-9.]*\) .*/\1/p" "$2" | tail -n 1; }
median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
row() { printf '%-44s %14s %-7s %-36s %s\n' "$1" "$2" "$3" "$4" "$5"; }

bash deploy/local/cluster.sh stop >/dev/null 2>&1
rm -rf "$BV"
mkdir -p "$OUT"
bash deploy/local/cluster.sh run >"$OUT/cluster.log" 2>&1 &
CLUSTER=$!
NGINX_PID=""
cleanup() {
	[ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null
	bash deploy/local/cluster.sh stop >/dev/null 2>&1
	wait "$CLUSTER" 2>/dev/null
}
trap cleanup EXIT
deadline=$((SECONDS + 120))
until grep -q '^cluster: ready' "$OUT/cluster.log"; do
	if [ $SECONDS -ge $deadline ] || ! kill -0 $CLUSTER 2>/dev/null; then
		echo "bench: the cluster did not start"; cat "$OUT/cluster.log"; exit 1
	fi
	sleep 0.2
done
# Pin every server process (all threads) to core 0.
for f in "$BV"/run/*.pid; do
	taskset -a -p -c 0 "$(cat "$f")" >/dev/null 2>&1
done
for p in $(pgrep -f "$BV/pg") $(pgrep -x redis-server); do
	taskset -a -p -c 0 "$p" >/dev/null 2>&1
done

echo "== crypto (one core)"
taskset -c 1 build/bench/crypto_bench >"$OUT/crypto.txt"
RAW=$(fig recover_raw "$OUT/crypto.txt")
OURS=$(fig recover_eip191 "$OUT/crypto.txt")

echo "== nng hop"
taskset -c 0 build/bench/nng_bench serve tcp://127.0.0.1:19199 &
ECHO=$!
taskset -c 1 build/bench/nng_bench tcp://127.0.0.1:19199 tcp://127.0.0.1:19100 >"$OUT/nng.txt"
kill $ECHO

echo "== POST /auth/verify through the gateway (Redis included)"
# Each body signs in once: prepare more than the run can use (a run that
# used them all says so, as its figure would then be a floor).
VBODIES=${BENCH_VERIFY_BODIES:-40000}
VDUR=2
for ((r = 0; r < RUNS; r++)); do
	taskset -c 1 build/bench/auth_prep "$GW" "$VBODIES" "$OUT/verify-$r.txt" || exit 1
	taskset -c 1 wrk -t1 -c16 -d"${VDUR}s" -s tests/bench/verify.lua "$GW" \
	    -- "$OUT/verify-$r.txt" >"$OUT/wrk-verify-$r.txt"
	awk -v n="$VBODIES" '/^verify_ok/ { printf "%.1f\n", $2 / $6;
	    if ($2 >= n) print "bench: all verify bodies used: figure is a floor" > "/dev/stderr" }' \
	    "$OUT/wrk-verify-$r.txt"
done >"$OUT/verify-rps.txt"
VERIFY=$(median <"$OUT/verify-rps.txt")

echo "== GET /territory at 100 connections vs nginx"
# A token for the benchmark, made by the real sign-in path.
build/bench/auth_prep "$GW" 1 "$OUT/one.txt" || exit 1
TOKEN=$(curl -s -H 'Content-Type: application/json' --data-binary @"$OUT/one.txt" \
    "$GW/auth/verify" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$TOKEN" ] || { echo "bench: no token"; exit 1; }
mkdir -p "$BV/nginx/html" "$BV/nginx/tmp"
curl -s -H "Authorization: Bearer $TOKEN" "$GW/territory/10/10" >"$BV/nginx/html/tile.json"
cat >"$BV/nginx/nginx.conf" <<NGX
worker_processes 1;
daemon off;
pid $BV/nginx/nginx.pid;
error_log $BV/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $BV/nginx/tmp;
  proxy_temp_path $BV/nginx/tmp;
  fastcgi_temp_path $BV/nginx/tmp;
  uwsgi_temp_path $BV/nginx/tmp;
  scgi_temp_path $BV/nginx/tmp;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $BV/nginx/html;
    default_type application/json;
    location /territory/ { try_files /tile.json =404; }
  }
}
NGX
taskset -c 0 nginx -c "$BV/nginx/nginx.conf" -p "$BV/nginx" &
NGINX_PID=$!
until curl -sf "http://127.0.0.1:$NGINX_PORT/territory/1/1" >/dev/null; do sleep 0.1; done
wrk_rps() { sed -n 's/^Requests\/sec: *\([0-9.]*\)/\1/p' "$1"; }
wrk_p99() { awk '/^ *99%/ { v=$2; if (v ~ /us$/) { sub(/us/,"",v); v=v/1000 } else if (v ~ /ms$/) { sub(/ms/,"",v) } else if (v ~ /s$/) { sub(/s/,"",v); v=v*1000 } print v }' "$1"; }
for ((r = 0; r < RUNS; r++)); do
	taskset -c 1 wrk -t1 -c100 -d"${DUR}s" --latency -s tests/bench/territory.lua \
	    "$GW" -- "$TOKEN" 0 >"$OUT/wrk-ter-$r.txt"
	wrk_rps "$OUT/wrk-ter-$r.txt" >>"$OUT/ter-rps.txt"
	taskset -c 1 wrk -t1 -c100 -d"${DUR}s" --latency -s tests/bench/territory.lua \
	    "http://127.0.0.1:$NGINX_PORT" -- "$TOKEN" 0 >"$OUT/wrk-ngx-$r.txt"
	wrk_rps "$OUT/wrk-ngx-$r.txt" >>"$OUT/ngx-rps.txt"
done
TER=$(median <"$OUT/ter-rps.txt")
NGX=$(median <"$OUT/ngx-rps.txt")
# Half of peak: 100 connections, each pausing so the total is TER/2.
DELAY=$(awk -v r="$TER" 'BEGIN { printf "%d", 100 / (r / 2) * 1000 }')
taskset -c 1 wrk -t1 -c100 -d"${DUR}s" --latency -s tests/bench/territory.lua \
    "$GW" -- "$TOKEN" "$DELAY" >"$OUT/wrk-ter-half.txt"
HALF_RPS=$(wrk_rps "$OUT/wrk-ter-half.txt")
HALF_P99=$(wrk_p99 "$OUT/wrk-ter-half.txt")
PEAK_P99=$(wrk_p99 "$OUT/wrk-ter-0.txt")
NGX_P99=$(wrk_p99 "$OUT/wrk-ngx-0.txt")

echo
row "figure" "value" "unit" "baseline (value)" "ratio (target)"
row "recover + keccak, raw libsecp256k1" "$RAW" "ops/s" "-" "-"
row "EIP-191 verify (cm_eth_personal_recover)" "$OURS" "ops/s" "raw ($RAW)" "$(ratio "$OURS" "$RAW") (>= 0.90)"
row "POST /auth/verify via gateway+Redis" "$VERIFY" "req/s" "raw recover x1 core ($RAW)" "$(ratio "$VERIFY" "$RAW") (>= 0.50)"
row "GET /territory, 100 conns, peak" "$TER" "req/s" "nginx static ($NGX)" "$(ratio "$TER" "$NGX") (>= 0.50)"
row "  p99 at peak" "$PEAK_P99" "ms" "nginx p99 ($NGX_P99)" "-"
row "  p99 at half of peak ($HALF_RPS req/s)" "$HALF_P99" "ms" "-" "(< 2 ms)"
for n in n1 n8; do
	E50=$(fig nng_echo_${n}_p50 "$OUT/nng.txt")
	S50=$(fig shard_ping_${n}_p50 "$OUT/nng.txt")
	row "nng hop p50, $n in flight, shard ping" "$S50" "us" "bare nng echo ($E50)" "$(ratio "$S50" "$E50") (p50 < 60 us)"
	row "nng hop p99, $n in flight, shard ping" "$(fig shard_ping_${n}_p99 "$OUT/nng.txt")" "us" "bare nng echo ($(fig nng_echo_${n}_p99 "$OUT/nng.txt"))" "-"
done
echo
echo "(servers pinned to core 0, load generators to core 1; medians of $RUNS runs of ${DUR}s; raw files in $OUT)"
