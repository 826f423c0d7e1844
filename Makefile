# Nemeth's Domain server: top-level build.
#
#   make          build bin/gateway bin/shard bin/bridge bin/ndctl and bin/libcm.a
#   make deps     install the Debian packages the project needs (as root; no-op when present)
#   make run      deps + build + start the local cluster in the foreground (Ctrl-C stops it)
#   make stop     stop a local cluster started by `make run` from another shell
#   make test     deps + build + unit tests (plain, ASan/UBSan, valgrind) + integration tests
#   make bench    the benchmarks of docs/bench.md, figures side by side with their baselines
#   make fuzz     libFuzzer on the parsers of outside bytes (clang), FUZZ_SECONDS each

CC      ?= gcc
OPT     ?= -O2
CFLAGS  := -std=c17 $(OPT) -g -Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes \
           -Werror -D_GNU_SOURCE -MMD -MP -Icommon -Ibuild/proto -I/usr/include/postgresql
LDLIBS  := -lnng -lprotobuf-c -lmicrohttpd -lwebsockets -lhiredis -lpq -lmsgpackc \
           -lsecp256k1 -lsodium -lnettle -ljansson -lcurl -lpthread -lm
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

PROTOS     := $(wildcard proto/*.proto)
PROTO_C    := $(patsubst proto/%.proto,build/proto/%.pb-c.c,$(PROTOS))
PROTO_H    := $(PROTO_C:.c=.h)
CM_SRC     := $(wildcard common/*.c)
SQL        := $(sort $(wildcard common/sql/*.sql))
CM_OBJ     := $(patsubst %.c,build/obj/%.o,$(CM_SRC)) $(patsubst build/proto/%.c,build/obj/proto/%.o,$(PROTO_C)) \
              build/obj/gen/cm_sql.o build/obj/gen/cm_rules_json.o
CM_OBJ_SAN := $(patsubst build/obj/%,build/san/%,$(CM_OBJ))
GW_OBJ     := $(patsubst %.c,build/obj/%.o,$(wildcard gateway/*.c))
SH_OBJ     := $(patsubst %.c,build/obj/%.o,$(wildcard shard/*.c))
BR_OBJ     := $(patsubst %.c,build/obj/%.o,$(wildcard bridge/*.c))
CTL_OBJ    := $(patsubst %.c,build/obj/%.o,$(wildcard tools/ndctl*.c))
UNIT_SRC   := $(wildcard tests/unit/*/*_test.c)
UNIT_BIN   := $(patsubst tests/unit/%.c,build/tests/%,$(UNIT_SRC))
UNIT_SAN   := $(patsubst tests/unit/%.c,build/tests-san/%,$(UNIT_SRC))
BENCH_BIN  := $(patsubst tests/bench/%.c,build/bench/%,$(wildcard tests/bench/*.c))
FUZZ_SRC   := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_REPLAY:= $(patsubst tests/fuzz/%.c,build/fuzz-replay/%,$(FUZZ_SRC))
FUZZ_BIN   := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(FUZZ_SRC))
FUZZ_SECONDS ?= 60

PROGS := bin/gateway bin/shard bin/bridge bin/ndctl bin/libcm.a

.PHONY: all deps run stop test unit bench fuzz clean check-style
all: $(PROGS)

deps:
	@sh deploy/local/deps.sh

build/proto/%.pb-c.c build/proto/%.pb-c.h: proto/%.proto
	@mkdir -p build/proto
	protoc-c --proto_path=proto --c_out=build/proto $<
# every object may include a generated header: generate them first
$(CM_OBJ) $(GW_OBJ) $(SH_OBJ) $(BR_OBJ) $(CTL_OBJ) $(CM_OBJ_SAN): | $(PROTO_H)

build/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<
build/obj/proto/%.o: build/proto/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Wno-missing-prototypes -c -o $@ $<
build/gen/cm_sql.c: $(SQL) tools/embed_sql.sh
	@mkdir -p build/gen
	sh tools/embed_sql.sh $@ $(SQL)
build/gen/cm_rules_json.c: rules/rules.json tools/embed_file.sh
	@mkdir -p build/gen
	sh tools/embed_file.sh $@ cm_rules_json cm_rules_load.h rules/rules.json
build/obj/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<
build/san/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) -c -o $@ $<
build/san/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) -c -o $@ $<
build/san/proto/%.o: build/proto/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) -Wno-missing-prototypes -c -o $@ $<

bin/libcm.a: $(CM_OBJ)
	@mkdir -p bin
	rm -f $@ && ar rcs $@ $^
build/libcm-san.a: $(CM_OBJ_SAN)
	rm -f $@ && ar rcs $@ $^

bin/gateway: $(GW_OBJ) bin/libcm.a
	$(CC) -o $@ $^ $(LDLIBS)
bin/shard: $(SH_OBJ) bin/libcm.a
	$(CC) -o $@ $^ $(LDLIBS)
bin/bridge: $(BR_OBJ) bin/libcm.a
	$(CC) -o $@ $^ $(LDLIBS)
bin/ndctl: $(CTL_OBJ) bin/libcm.a
	$(CC) -o $@ $^ $(LDLIBS)

# Unit tests may #include the .c they test (to reach its statics), so they
# link against the library objects of their own build flavour.
build/tests/%: tests/unit/%.c bin/libcm.a | $(PROTO_H)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Wno-missing-prototypes -Itests/unit -Itools -o $@ $< bin/libcm.a -lcmocka $(LDLIBS)
# The shard's unit tests link the shard's own objects (all but main).
SH_LIB_OBJ := $(filter-out build/obj/shard/shard_main.o,$(SH_OBJ))
build/libshard.a: $(SH_LIB_OBJ)
	rm -f $@ && ar rcs $@ $^
build/libshard-san.a: $(patsubst build/obj/%,build/san/%,$(SH_LIB_OBJ))
	rm -f $@ && ar rcs $@ $^
$(patsubst build/obj/%,build/san/%,$(SH_LIB_OBJ)): | $(PROTO_H)
build/tests/shard/%: tests/unit/shard/%.c build/libshard.a bin/libcm.a | $(PROTO_H)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Wno-missing-prototypes -Ishard -Itests/unit -o $@ $< build/libshard.a bin/libcm.a -lcmocka $(LDLIBS)
build/tests-san/shard/%: tests/unit/shard/%.c build/libshard-san.a build/libcm-san.a | $(PROTO_H)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) -Wno-missing-prototypes -Ishard -Itests/unit -o $@ $< build/libshard-san.a build/libcm-san.a -lcmocka $(LDLIBS)
build/tests-san/%: tests/unit/%.c build/libcm-san.a | $(PROTO_H)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) -Wno-missing-prototypes -Itests/unit -Itools -o $@ $< build/libcm-san.a -lcmocka $(LDLIBS)
build/bench/%: tests/bench/%.c bin/libcm.a | $(PROTO_H)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Wno-missing-prototypes -Itools -o $@ $< bin/libcm.a $(LDLIBS)
# Benchmarks of the shard's in-memory state link the shard's own objects.
SHARD_BENCH := $(addprefix build/bench/,timer_bench shard_memory_bench vision_bench economy_bench)
$(filter $(SHARD_BENCH),$(BENCH_BIN)): build/bench/%: tests/bench/%.c build/libshard.a bin/libcm.a | $(PROTO_H)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Wno-missing-prototypes -Ishard -o $@ $< build/libshard.a bin/libcm.a $(LDLIBS)

# The fuzz targets, linked with a main that replays the committed corpora
# (tests/fuzz/corpus/<target>/) under the sanitizers: part of `make test`.
build/fuzz-replay/fuzz_shard: tests/fuzz/fuzz_shard.c tests/fuzz/replay.c build/libshard-san.a build/libcm-san.a | $(PROTO_H)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) -Wno-missing-prototypes -Ishard -o $@ $< tests/fuzz/replay.c build/libshard-san.a build/libcm-san.a $(LDLIBS)
build/fuzz-replay/%: tests/fuzz/%.c tests/fuzz/replay.c build/libcm-san.a | $(PROTO_H)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) -Wno-missing-prototypes -o $@ $< tests/fuzz/replay.c build/libcm-san.a $(LDLIBS)

# The same targets with libFuzzer (clang), searching for FUZZ_SECONDS each;
# new inputs land in the corpora, to be committed when they matter.
build/fuzz/%: tests/fuzz/%.c $(CM_SRC) $(PROTO_C) build/gen/cm_sql.c build/gen/cm_rules_json.c
	@mkdir -p $(dir $@)
	clang -std=c17 -g -O1 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
	    -Icommon -Ibuild/proto -Ishard -I/usr/include/postgresql -o $@ $< \
	    $(CM_SRC) $(filter-out shard/shard_main.c,$(wildcard shard/*.c)) \
	    $(PROTO_C) build/gen/cm_sql.c build/gen/cm_rules_json.c $(LDLIBS)

unit: $(UNIT_BIN) $(UNIT_SAN) $(FUZZ_REPLAY)

run: deps all
	@bash deploy/local/cluster.sh run

stop:
	@bash deploy/local/cluster.sh stop

test: deps
	@$(MAKE) --no-print-directory all unit
	@bash tests/run.sh

bench: deps
	@$(MAKE) --no-print-directory all $(BENCH_BIN)
	@bash tests/bench/run.sh

fuzz: deps
	@command -v clang >/dev/null || apt-get install -y -q clang libclang-rt-14-dev
	@$(MAKE) --no-print-directory $(FUZZ_BIN)
	@for t in $(FUZZ_BIN); do n=$$(basename $$t); \
	  echo "== $$n ($(FUZZ_SECONDS) s)"; \
	  $$t -max_total_time=$(FUZZ_SECONDS) -max_len=4096 tests/fuzz/corpus/$$n \
	    >build/fuzz/$$n.log 2>&1; rc=$$?; tail -n 1 build/fuzz/$$n.log; \
	  [ $$rc -eq 0 ] || { tail -n 40 build/fuzz/$$n.log; exit 1; }; done

check-style:
	@! grep -nE '\b(sprintf|strcpy|strcat|strtok|atoi|gets)\s*\(' $$(git ls-files '*.c' '*.h') || \
	  (echo "banned function used" && false)

clean:
	rm -rf build bin

-include $(shell find build -name '*.d' 2>/dev/null)
