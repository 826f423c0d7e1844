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
# Load from one address and a few players: the rules' rate limits lifted.
export ND_RATE_LIMIT_SCALE=1000000
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
SA_PID=""
cleanup() {
	[ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null
	[ -n "$SA_PID" ] && kill "$SA_PID" 2>/dev/null
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

echo "== A* paths across the map (one core)"
taskset -c 1 build/bench/path_bench 100 100 1000 1 >"$OUT/path100.txt"
taskset -c 1 build/bench/path_bench 1000 1000 40 1 >"$OUT/path1000.txt"

echo "== timer heap, 1,000,000 pending (one core)"
taskset -c 1 build/bench/timer_bench >"$OUT/timers.txt"

echo "== D20 battles, fog of war, the daily economy (one core)"
taskset -c 1 build/bench/battle_bench >"$OUT/battle.txt"
taskset -c 1 build/bench/vision_bench >"$OUT/vision.txt"
taskset -c 1 build/bench/balance_bench >"$OUT/balance.txt"
if [ -x build/bench/economy_bench ]; then
	taskset -c 1 build/bench/economy_bench >"$OUT/economy.txt"
fi

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

echo "== acknowledged actions on one shard: group commit vs its baselines"
# The bench cluster's shard 0 is held down (cluster.sh's hold file) and
# replaced, mode by mode, by a shard started here with that mode's
# environment: same ports, same PostgreSQL and Redis, pinned to core 0 like
# every server.  Each mode starts from a new generation (ndctl generation
# start), so its players and alliance are fresh.  Modes run interleaved,
# RUNS times each; their figures are medians.
# The load is gateway-shaped: 64 players in carriers of 8, so 8 batches of
# 8 in flight, as gateways under load send them (each carrier takes every
# request queued for its shard).  One more mode, a unbatched (64 players,
# one request per nng message), shows what batching saves.
SA_PLAYERS=${BENCH_ACTION_PLAYERS:-64}
SA_K=${BENCH_ACTION_BATCH:-8}
SA_DUR=${BENCH_ACTION_SECONDS:-4}
SA_URL=tcp://127.0.0.1:$((17100 + ND_PORT_OFFSET))
SA_METRICS=http://127.0.0.1:$((17300 + ND_PORT_OFFSET))/metrics
SA_ENV=(DATABASE_URL=postgresql://nd@127.0.0.1:$((17432 + ND_PORT_OFFSET))/nd
	REDIS_ADDR=127.0.0.1:$((17379 + ND_PORT_OFFSET))
	SHARD_REQ_PORT_BASE=$((17100 + ND_PORT_OFFSET))
	SHARD_PUB_PORT_BASE=$((17200 + ND_PORT_OFFSET))
	SHARD_PROBE_PORT_BASE=$((17300 + ND_PORT_OFFSET))
	SHARD_COUNT=$SHARD_COUNT SHARD_INDEX=0
	# 65 players in one region: the design's placement (3 empty tiles
	# between players) fits about 30 in a quarter of 100 x 100, so this
	# last phase plays generations of 400 x 400 (the cluster's other
	# shards, still at 100 x 100, sit them out).
	MAP_WIDTH=400 MAP_HEIGHT=400)
# What a durable commit waits for: 8 kB synchronous writes on the disk
# that holds PostgreSQL's WAL (it varies with the machine's other tenants).
LC_ALL=C dd if=/dev/zero of="$BV/dsync.tmp" bs=8k count=300 oflag=dsync 2>"$OUT/dsync.txt"
rm -f "$BV/dsync.tmp"
SA_DSYNC=$(awk '/copied/ { printf "%.0f", $(NF-3) / 300 * 1e6 }' "$OUT/dsync.txt")
touch "$BV/hold/shard-0"
S0=$(cat "$BV/run/shard-0.pid")
kill -TERM "$S0"
while kill -0 "$S0" 2>/dev/null; do sleep 0.1; done
# shard_mode NAME BENCH-ARGS [ENV...]: one run of one mode.
shard_mode() {
	local name=$1 args=$2
	shift 2
	env "${SA_ENV[@]}" bin/ndctl generation start >>"$OUT/generations.log" || exit 1
	env "${SA_ENV[@]}" "$@" taskset -c 0 bin/shard >>"$OUT/shard-$name.log" 2>&1 &
	SA_PID=$!
	# shellcheck disable=SC2086
	taskset -c 1 build/bench/shard_actions_bench -p "$SA_PLAYERS" -d "$SA_DUR" $args \
	    -m "$SA_METRICS" -c 0 "$SA_URL" "$name" >>"$OUT/actions-$name.txt" 2>&1
	local rc=$?
	kill -TERM "$SA_PID"
	wait "$SA_PID" 2>/dev/null
	SA_PID=""
	[ $rc -eq 0 ] || { echo "bench: shard_actions_bench $name failed"; tail "$OUT/actions-$name.txt"; exit 1; }
}
SA_NB=$((SA_PLAYERS / SA_K))
figs() { sed -n "s/^figure $1 \([0-9.]*\) .*/\1/p" "$2"; }
for ((r = 0; r < RUNS; r++)); do
	shard_mode group "-k $SA_K" SHARD_COMMIT=group
	shard_mode async "-k $SA_K" SHARD_COMMIT=group PGOPTIONS="-c synchronous_commit=off"
	shard_mode each "-k $SA_K" SHARD_COMMIT=each
	shard_mode unbatched "-k 1" SHARD_COMMIT=group
done
declare -A SA
for m in group async each unbatched; do
	for f in rate p50 p99 group commit_ms busy; do
		SA[${m}_$f]=$(figs "${m}_$f" "$OUT/actions-$m.txt" | median)
	done
	SA[${m}_errors]=$(figs "${m}_errors" "$OUT/actions-$m.txt" | awk '{s += $1} END {print s + 0}')
done
# Half of a's peak, open loop: actions scheduled at a fixed rate, in
# batches of SA_K (so at that rate / SA_K batches per second).
shard_mode paced "-k $SA_K -r $(awk -v r="${SA[group_rate]}" 'BEGIN { printf "%.0f", r / 2 }')" \
    SHARD_COMMIT=group
SA[paced_rate]=$(fig paced_rate "$OUT/actions-paced.txt")
SA[paced_p99]=$(fig paced_p99 "$OUT/actions-paced.txt")
SA[paced_busy]=$(fig paced_busy "$OUT/actions-paced.txt")
SA[paced_errors]=$(figs paced_errors "$OUT/actions-paced.txt" | awk '{s += $1} END {print s + 0}')
rm -f "$BV/hold/shard-0" # the cluster's own shard 0 comes back

echo "== memory of a shard: 1000 x 1000 map, 10,000 players, 100,000 armies"
taskset -c 1 build/bench/shard_memory_bench >"$OUT/memory.txt" 2>&1 || {
	echo "bench: shard_memory_bench failed"; cat "$OUT/memory.txt"; exit 1; }
MEM_FULL=$(fig mem_rss_full "$OUT/memory.txt")

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
row "shard actions, group commit (a)" "${SA[group_rate]}" "acts/s" "sync commit off, b (${SA[async_rate]})" "$(ratio "${SA[group_rate]}" "${SA[async_rate]}") (>= 0.80)"
row "shard actions, group commit (a)" "${SA[group_rate]}" "acts/s" "1 tx per action, c (${SA[each_rate]})" "$(ratio "${SA[group_rate]}" "${SA[each_rate]}") (>= 20)"
row "  p50, $SA_NB batches of $SA_K in flight, a" "${SA[group_p50]}" "ms" "b (${SA[async_p50]}), c (${SA[each_p50]})" "-"
row "  p99, $SA_NB batches of $SA_K in flight, a" "${SA[group_p99]}" "ms" "b (${SA[async_p99]}), c (${SA[each_p99]})" "-"
row "  a unbatched ($SA_PLAYERS x 1 per message)" "${SA[unbatched_rate]}" "acts/s" "a, $SA_NB x $SA_K (${SA[group_rate]})" "$(ratio "${SA[unbatched_rate]}" "${SA[group_rate]}")"
row "    p50, a unbatched" "${SA[unbatched_p50]}" "ms" "a (${SA[group_p50]})" "-"
row "    p99, a unbatched" "${SA[unbatched_p99]}" "ms" "a (${SA[group_p99]})" "-"
row "    actions per commit, a unbatched" "${SA[unbatched_group]}" "acts" "a (${SA[group_group]})" "-"
row "    servers' core busy, a unbatched" "${SA[unbatched_busy]}" "%" "a (${SA[group_busy]})" "-"
row "  p99 at half of a, paced (${SA[paced_rate]}/s)" "${SA[paced_p99]}" "ms" "-" "(< 5 ms)"
row "    core busy at half of a" "${SA[paced_busy]}" "%" "-" "-"
row "  actions per commit, a" "${SA[group_group]}" "acts" "b (${SA[async_group]}), c (${SA[each_group]})" "-"
row "  mean commit (flush to commit), a" "${SA[group_commit_ms]}" "ms" "b (${SA[async_commit_ms]}), c (${SA[each_commit_ms]})" "-"
row "  servers' core busy, a" "${SA[group_busy]}" "%" "b (${SA[async_busy]}), c (${SA[each_busy]})" "-"
row "  WAL disk: one 8 kB O_DSYNC write" "$SA_DSYNC" "us" "-" "-"
row "  errors (a, b, c, unbatched, paced)" "${SA[group_errors]}/${SA[async_errors]}/${SA[each_errors]}/${SA[unbatched_errors]}/${SA[paced_errors]}" "count" "-" "(0)"
for PW in 100 1000; do
	PF=$OUT/path$PW.txt
	row "A* across ${PW}x${PW}, p99" "$(fig path_${PW}_astar_p99 "$PF")" "ms" "Dijkstra p99 ($(fig path_${PW}_dijkstra_p99 "$PF"))" "$(ratio "$(fig path_${PW}_astar_p99 "$PF")" "$(fig path_${PW}_dijkstra_p99 "$PF")") (p99 < 5 ms)"
	row "  p50, tiles expanded (mean)" "$(fig path_${PW}_astar_p50 "$PF")" "ms" "Dijkstra p50 ($(fig path_${PW}_dijkstra_p50 "$PF"))" "$(fig path_${PW}_astar_expanded "$PF") vs $(fig path_${PW}_dijkstra_expanded "$PF") tiles"
	row "  landmarks (cm_pather_new), once a map" "$(fig path_${PW}_prep "$PF")" "ms" "-" "$(fig path_${PW}_bytes_per_tile "$PF") bytes a tile"
done
TF=$OUT/timers.txt
row "timers fired in due order, 1M pending" "$(fig timer_fire "$TF")" "/s" "qsort of the due times ($(fig timer_qsort "$TF"))" "$(ratio "$(fig timer_fire "$TF")" "$(fig timer_qsort "$TF")") (> 1,000,000/s)"
row "  timers scheduled" "$(fig timer_schedule "$TF")" "/s" "-" "(> 1,000,000/s)"
row "  memory per pending timer" "$(fig timer_bytes "$TF")" "bytes" "-" "(< 64)"
BF=$OUT/battle.txt
row "D20 battles, 3 rounds of full armies" "$(fig battles_per_s "$BF")" "/s" "dice and hashes alone ($(fig battle_baseline_per_s "$BF"))" "$(ratio "$(fig battles_per_s "$BF")" "$(fig battle_baseline_per_s "$BF")") (> 200,000/s)"
LF=$OUT/balance.txt
row "balance: defender wins, equal-cost armies" "$(fig balance_defender_pct "$LF")" "%" "attacker ($(fig balance_attacker_pct "$LF"))" "(52-55%; attacker 35-60%)"
row "  natural 20s, defender at home" "$(fig balance_crit_home_pct "$LF")" "%" "away, no advantage ($(fig balance_crit_away_pct "$LF"))" "(~5%, 3-7%)"
# The design's analyzer (§17): a share's deviation from the even share,
# relative to it: over 25% warns, over 50% is high, over 75% critical.
flag() { awk -v p="$1" 'BEGIN { d = (p > 50 ? p - 50 : 50 - p) * 2;
	f = d > 75 ? "critical" : d > 50 ? "high" : d > 25 ? "warn" : "ok";
	printf "(50%%) %s, %.0f%% off", f, d }'; }
for r in ironveld vaelthir korrath sylvaeth ashborn breathborn; do
	P=$(fig balance_race_${r}_pct "$LF")
	row "  $r wins of its battles" "$P" "%" "-" "$(flag "$P")"
done
row "  worst race deviation from 50%" "$(fig balance_race_worst_dev "$LF")" "points" "-" "-"
for c in warlord archmage highpriest shadowmaster merchantprince beastlord; do
	P=$(fig balance_class_${c}_pct "$LF")
	row "  $c captains win of their battles" "$P" "%" "-" "$(flag "$P")"
done
row "  worst class deviation from 50%" "$(fig balance_class_worst_dev "$LF")" "points" "-" "-"
VF=$OUT/vision.txt
row "fog of war: one player's 100x100 view" "$(fig vision_region_us "$VF")" "us" "memset of the view ($(fig vision_memset_us "$VF"))" "$(ratio "$(fig vision_region_us "$VF")" "$(fig vision_memset_us "$VF")") (< 100 us)"
row "  one tile's level" "$(fig vision_tile_ns "$VF")" "ns" "-" "-"
if [ -f "$OUT/economy.txt" ]; then
	EF=$OUT/economy.txt
	row "daily economy tick, 10,000 players" "$(fig economy_tick_ms "$EF")" "ms" "one pass over the same state ($(fig economy_baseline_ms "$EF"))" "$(ratio "$(fig economy_tick_ms "$EF")" "$(fig economy_baseline_ms "$EF")")"
fi
row "shard RSS: 1M tiles/10k players/100k armies" "$MEM_FULL" "MiB" "target 1 GiB (1024)" "$(ratio "$MEM_FULL" 1024) (< 1.00)"
row "  RSS of the empty world (tiles, terrain, landmarks)" "$(fig mem_rss_empty_world "$OUT/memory.txt")" "MiB" "-" "-"
row "  marks gathered for one commit (heap)" "$(fig mem_marks "$OUT/memory.txt")" "MiB" "-" "-"
row "  shard_world_memory() estimate" "$(fig mem_world_estimate "$OUT/memory.txt")" "MiB" "RSS full (${MEM_FULL})" "$(ratio "$(fig mem_world_estimate "$OUT/memory.txt")" "$MEM_FULL")"
echo
echo "(servers pinned to core 0, load generators to core 1; medians of $RUNS runs of ${DUR}s, shard actions ${SA_DUR}s; raw files in $OUT)"
