#!/bin/bash
# run.sh: every test of the project, as `make test` runs them.
#
#  1. unit tests (cmocka), plain build
#  2. the same unit tests built with AddressSanitizer + UBSan
#  3. the plain unit tests under valgrind (no leaks, no errors), and the
#     fuzz targets replaying their committed corpora under the sanitizers
#  4. integration tests (node:test) against a real local cluster started by
#     deploy/local/cluster.sh in build/test-var, on ports offset by 1000 so
#     that a `make run` cluster may keep running beside it
#
# The last line is "N passed, N failed"; the exit status is non-zero when
# anything failed or could not run.  For a developer's quicker loop (never
# in CI): TEST_ONLY=unit or TEST_ONLY=integration runs one half, and
# IT_FILES="tests/integration/game.test.mjs ..." some integration files.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PASSED=0
FAILED=0
LOGDIR=$ROOT/build/test-logs
rm -rf "$LOGDIR"
mkdir -p "$LOGDIR"

pass() { PASSED=$((PASSED + $1)); }
fail() { FAILED=$((FAILED + $1)); [ "$1" -gt 0 ] && echo "FAIL: $2"; }

# cmocka_count NAME LOG RC: adds a cmocka binary's counts.
cmocka_count() {
	local name=$1 log=$2 rc=$3 p f
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	p=${p:-0}
	f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1 # crashed or aborted before cmocka could count
	fi
	pass "$p"
	fail "$f" "$name (see $log)"
	[ "$f" -gt 0 ] && tail -n 30 "$log"
	printf '%-48s %3d passed, %d failed\n' "$name" "$p" "$f"
}

ONLY=${TEST_ONLY:-all}
if [ "$ONLY" != integration ]; then
echo "== unit tests"
for t in build/tests/*/*_test; do
	n=$(basename "$t")
	"$t" >"$LOGDIR/$n.log" 2>&1
	cmocka_count "$n" "$LOGDIR/$n.log" $?
done

echo "== unit tests under AddressSanitizer and UndefinedBehaviorSanitizer"
for t in build/tests-san/*/*_test; do
	n=$(basename "$t")
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    "$t" >"$LOGDIR/$n.san.log" 2>&1
	cmocka_count "$n [asan+ubsan]" "$LOGDIR/$n.san.log" $?
done

echo "== unit tests under valgrind"
for t in build/tests/*/*_test; do
	n=$(basename "$t")
	if valgrind -q --leak-check=full --show-leak-kinds=definite,indirect \
	    --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
	    "$t" >"$LOGDIR/$n.vg.log" 2>&1; then
		pass 1
		printf '%-48s   1 passed, 0 failed\n' "$n [valgrind]"
	else
		fail 1 "$n [valgrind] (see $LOGDIR/$n.vg.log)"
		grep -E '==[0-9]+==' "$LOGDIR/$n.vg.log" | head -n 30
	fi
done

echo "== fuzz targets replaying their corpora (AddressSanitizer, UBSan)"
for t in build/fuzz-replay/fuzz_*; do
	case "$t" in *.d) continue ;; esac
	n=$(basename "$t")
	if ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    "$t" tests/fuzz/corpus/"$n"/* >"$LOGDIR/$n.log" 2>&1; then
		pass 1
		printf '%-48s   1 passed, 0 failed\n' "$n [$(tail -n 1 "$LOGDIR/$n.log")]"
	else
		fail 1 "$n (see $LOGDIR/$n.log)"
		tail -n 30 "$LOGDIR/$n.log"
	fi
done

fi # unit

if [ "$ONLY" != unit ]; then
echo "== integration tests against a local cluster"
TV=$ROOT/build/test-var
export ND_VAR=$TV ND_PORT_OFFSET=1000 ND_GATEWAYS=2 SHARD_COUNT=4
# Game time runs 36000 times faster (an hour in 0.1 s) so that travel,
# construction and reveal deadlines happen within a test.
export ND_TIME_SCALE=36000
# At that pace the rules' 50 days pass in 2 minutes: the suite's generation
# is made long enough to outlast it (zz_generation plays a short one).
export ND_GENERATION_DAYS=10000
# Every test signs in from 127.0.0.1 and plays at 36000 times the pace:
# the rules' rate limits are lifted for the suite's two gateways
# (rate_limits.test.mjs starts its own at the rules' numbers).
export ND_RATE_LIMIT_SCALE=1000
bash deploy/local/cluster.sh stop >/dev/null 2>&1
rm -rf "$TV"
bash deploy/local/cluster.sh run >"$LOGDIR/cluster.log" 2>&1 &
CLUSTER=$!
cleanup() {
	local deadline=$((SECONDS + 30))
	bash deploy/local/cluster.sh stop >/dev/null 2>&1
	while kill -0 "$CLUSTER" 2>/dev/null && [ $SECONDS -lt $deadline ]; do
		sleep 0.2
	done
	if kill -0 "$CLUSTER" 2>/dev/null; then
		echo "the test cluster did not stop; killing what is left"
		pkill -KILL -f "$TV" 2>/dev/null
		kill -KILL "$CLUSTER" 2>/dev/null
	fi
}
trap cleanup EXIT

deadline=$((SECONDS + 120))
until grep -qE '^cluster: (ready|not every)' "$LOGDIR/cluster.log"; do
	if ! kill -0 "$CLUSTER" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
		break
	fi
	sleep 0.2
done
if ! grep -q '^cluster: ready' "$LOGDIR/cluster.log"; then
	fail 1 "the test cluster did not become ready"
	cat "$LOGDIR/cluster.log"
	tail -n 20 "$TV"/log/*.log 2>/dev/null
else
	(cd tests/integration && { [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error; }) \
	    >"$LOGDIR/npm.log" 2>&1 || { cat "$LOGDIR/npm.log"; fail 1 "npm ci"; }
	export GATEWAY_URLS="http://127.0.0.1:9080,http://127.0.0.1:9090"
	export WS_URLS="ws://127.0.0.1:9081,ws://127.0.0.1:9091"
	export SIWE_DOMAIN=127.0.0.1:9080 SIWE_URI=http://127.0.0.1:9080
	export CHAIN_ID=31337 MAP_WIDTH=100 MAP_HEIGHT=100
	export JWT_KEYS_FILE=$TV/secrets/jwt-keys
	export GATEWAY_SHARD_TIMEOUT_MS=1000 GATEWAY_BODY_LIMIT=16384
	export SHARD_PROBE_PORT_BASE=18300 BRIDGE_PROBE_ADDR=127.0.0.1:18290
	export REDIS_ADDR=127.0.0.1:18379
	export DATABASE_URL=postgresql://nd@127.0.0.1:18432/nd
	export SHARD_REQ_PORT_BASE=18100
	# One file at a time (a file may kill a shard), one node process each:
	# this also works with Debian 12's own Node 18, which has no
	# --test-concurrency.
	: >"$LOGDIR/integration.tap"
	p=0
	f=0
	for t in ${IT_FILES:-tests/integration/*.test.mjs}; do
		node --test --test-reporter=tap "$t" >"$LOGDIR/it.tap" 2>&1
		rc=$?
		cat "$LOGDIR/it.tap" >>"$LOGDIR/integration.tap"
		tp=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$LOGDIR/it.tap" | tail -n 1)
		tf=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$LOGDIR/it.tap" | tail -n 1)
		tp=${tp:-0}
		tf=${tf:-0}
		if [ "$rc" -ne 0 ] && [ "$tf" -eq 0 ]; then
			tf=1 # the file did not run to its end
			echo "FAIL: $t exited $rc"
			tail -n 20 "$LOGDIR/it.tap"
		fi
		p=$((p + tp))
		f=$((f + tf))
	done
	grep -E '^(not )?ok ' "$LOGDIR/integration.tap" | sed 's/^/  /'
	if [ "$f" -gt 0 ]; then
		grep -B2 -A30 '^not ok' "$LOGDIR/integration.tap" | head -n 150
		tail -n 5 "$TV"/log/*.log
	fi
	pass "$p"
	fail "$f" "integration tests (see $LOGDIR/integration.tap)"
	printf '%-48s %3d passed, %d failed\n' "integration" "$p" "$f"
fi
fi # integration

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
