# kontroll — build, test, benchmark.
#
# Configuration: override on the command line, e.g. `make OPT=-O0 -g`.
CC       ?= cc
OPT      ?= -O2 -g
SANITIZE ?=
prefix   ?= /usr/local

WARN     := -Wall -Wextra -Werror -std=c11 -pedantic
MSGPACK  := $(shell pkg-config --exists msgpack-c 2>/dev/null && echo msgpack-c || echo msgpack)
LIBS_PC  := lmdb $(MSGPACK) uuid libsodium nettle jansson

# pkg-config is asked only when a target needs it, so `make deps` and
# `make clean` work on a machine that has none of the libraries yet.
PC_CFLAGS = $(shell pkg-config --cflags $(LIBS_PC))
PC_LIBS   = $(shell pkg-config --libs $(LIBS_PC)) -lm

BUILD    := build$(if $(SANITIZE),-san)
CFLAGS   := $(OPT) $(WARN) -Iinclude -Isrc -MMD -MP
ifneq ($(SANITIZE),)
CFLAGS   += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS  += -fsanitize=$(SANITIZE)
endif

LIB_SRC  := $(wildcard src/*.c events/*.c projections/*.c)
CLI_SRC  := $(wildcard src/cli/*.c)
TEST_SRC := $(wildcard tests/test_*.c)
BENCH_SRC := $(wildcard tests/bench/*.c)

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TESTS    := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
BENCHES  := $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)

LIBRARY  := $(BUILD)/libkontroll.a
BINARY   := $(BUILD)/kontroll

.DELETE_ON_ERROR:
.PHONY: all deps test unit e2e san bench clean demo fuzz format

all: kontroll libkontroll.a

# The plain build is also linked at the top level, where users expect it.
kontroll: $(BINARY)
	ln -sf $(BINARY) $@
libkontroll.a: $(LIBRARY)
	ln -sf $(LIBRARY) $@

deps:
	@scripts/install-deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PC_CFLAGS) -c $< -o $@

$(LIBRARY): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BINARY): $(CLI_OBJ) $(LIBRARY)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIBRARY) $(PC_LIBS)

# Link-time fault injection (STYLE.md): WRAP_<test> names the functions a
# test wraps with -Wl,--wrap; the test defines __wrap_<name> for each.
WRAP_test_incidents := malloc calloc realloc
WRAP_test_backup    := mkstemp fsync

$(BUILD)/tests/%: tests/%.c $(LIBRARY)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PC_CFLAGS) $(shell pkg-config --cflags cmocka) -o $@ $< $(LIBRARY) \
		$(LDFLAGS) $(foreach f,$(WRAP_$*),-Wl,--wrap=$(f)) $(PC_LIBS) \
		$(shell pkg-config --libs cmocka)

$(BUILD)/bench/%: tests/bench/%.c $(LIBRARY)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PC_CFLAGS) -o $@ $< $(LIBRARY) $(LDFLAGS) $(PC_LIBS) \
		$(shell pkg-config --libs sqlite3)

# `make test` first installs whatever is missing, then runs every unit test
# and every end-to-end test of the built binary.
test: deps
	@$(MAKE) --no-print-directory unit e2e

unit: $(TESTS)
	@scripts/run-tests.sh $(TESTS)

e2e: $(BINARY)
	@KONTROLL=$(abspath $(BINARY)) scripts/run-e2e.sh tests/e2e/*.sh

san: deps
	@$(MAKE) --no-print-directory SANITIZE=address,undefined OPT="-O1 -g" unit e2e

bench: deps
	@$(MAKE) --no-print-directory $(BENCHES) $(BINARY)
	@scripts/bench.sh $(BUILD)

clean:
	rm -rf build build-san build-fuzz kontroll libkontroll.a

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

# The tour of README.md on a fresh demo store (demo.db, ignored by git).
demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh $(abspath $(BINARY)) demo.db

# Coverage-guided fuzzing of the decoders (needs clang with libFuzzer; not
# part of `make test`). FUZZ_SECONDS bounds the run.
FUZZ_SECONDS ?= 60
fuzz: deps
	@mkdir -p build-fuzz/corpus
	clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude $(PC_CFLAGS) \
		tests/fuzz/fuzz_decode.c $(LIB_SRC) -o build-fuzz/fuzz_decode $(PC_LIBS)
	build-fuzz/fuzz_decode -max_total_time=$(FUZZ_SECONDS) -max_len=4096 build-fuzz/corpus

# Reformat every C file with the checked-in .clang-format.
format:
	clang-format --style=file -i $$(git ls-files '*.c' '*.h')
