# ydb-migrate: every target installs what it needs (npm ci) and builds first.
SHELL := /bin/bash
NPM ?= npm
BIN := ./bin/ydb-migrate
OUT := out
EMULATOR := dist/test/emulator/main.js
YDB_CONNECTION_STRING ?= grpc://localhost:2136/local
YDB_IMAGE ?= ydbplatform/local-ydb:latest
EMULATOR_PORT ?= 2136
# `make emulator EMULATOR_USER=alice EMULATOR_PASSWORD=...`: read by the recipe's shell, so a password needs no shell quoting (make still expands `$`: write `$$`).
export EMULATOR_USER EMULATOR_PASSWORD
# Node 20's `node --test DIR` would run every .js under a test/ folder (the emulator's main.js among
# them, which never exits), so the test files are named explicitly: from the sources, so that a test
# file deleted or renamed in test/ never runs from an old build left in dist/.
TEST_FILES = $(shell find test -name '*.test.ts' | sort | sed 's|^|dist/|; s|\.ts$$|.js|')
# The test files share no state (each starts its own emulator on a free port, works in its own temporary
# folder, sets no process-wide variable), and most of their time is spent waiting for CLI child processes
# and the emulator: they run TEST_CONCURRENCY at a time (node's default is one per core but one).
TEST_CONCURRENCY ?= 4

.PHONY: all build test docs sql bench migrate ydb emulator demo watch clean

all: build

node_modules/.package-lock.json: package.json package-lock.json
	$(NPM) ci --no-audit --no-fund

# tsc compiles lib/ (the library, plain ES modules with types), test/ and bench/; esbuild then bundles the CLI into dist/cli/,
# and a run of it against the test emulator writes the V8 code cache of its ydb-sdk file (scripts/bundle.mjs).
dist/.built: node_modules/.package-lock.json tsconfig.json $(wildcard scripts/*.mjs) $(shell find lib test bench -name '*.ts' 2>/dev/null)
	npx tsc -p tsconfig.json
	node scripts/bundle.mjs
	@touch $@

build: dist/.built

## test: the whole suite (unit, emulator conformance, online integration); README's test command
test: build
	node --test --test-concurrency=$(TEST_CONCURRENCY) --test-reporter=spec $(TEST_FILES)

## docs: regenerate the references in docs/reference/ from the code (CLI, error codes, lint rules, configuration); a test fails when one is stale
docs: build
	node dist/test/docs/generate.js

## sql: the offline script for sql/ (every migration, base → head) in out/migrations.yql
sql: build
	@mkdir -p $(OUT)
	$(BIN) sql -o $(OUT)/migrations.yql

## bench: the benchmarks (figures printed, nothing asserted)
bench: build
	node dist/bench/offline.js
	node dist/bench/online.js
	node dist/bench/watch.js

## migrate: build, then apply sql/ (`up`) to the YDB in YDB_CONNECTION_STRING (default grpc://localhost:2136/local)
migrate: build
	YDB_CONNECTION_STRING=$(YDB_CONNECTION_STRING) $(BIN) up --dir sql

## watch: build, then keep the YDB in YDB_CONNECTION_STRING (default grpc://localhost:2136/local; it must be on this machine) in step with sql/ while you edit; Ctrl-C stops
watch: build
	YDB_CONNECTION_STRING=$(YDB_CONNECTION_STRING) $(BIN) watch --dir sql

## ydb: a local YDB in Docker (the documented local-ydb image): grpc://localhost:2136/local, web UI on :8765
ydb:
	@command -v docker >/dev/null || { echo "make ydb needs Docker; without it, try 'make demo' (the test emulator)"; exit 1; }
	docker run -d --rm --name ydb-local -h localhost -p 2135:2135 -p 2136:2136 -p 8765:8765 \
	  -e GRPC_TLS_PORT=2135 -e GRPC_PORT=2136 -e MON_PORT=8765 -e YDB_USE_IN_MEMORY_PDISKS=1 $(YDB_IMAGE)
	@echo "YDB starts in a few seconds at grpc://localhost:2136/local (stop it: docker stop ydb-local); then run 'make migrate'"

## emulator: no Docker? the TEST EMULATOR (an in-memory stand-in, NOT a real YDB) on port EMULATOR_PORT (2136), in the foreground; Ctrl-C stops.
## With EMULATOR_USER and EMULATOR_PASSWORD it has that one user and refuses anonymous calls; without them it has no users
emulator: build
	@echo "### the ydb-migrate TEST EMULATOR: an in-memory stand-in for trying ydb-migrate, NOT a real YDB (nothing is kept; see test/emulator/README.md)"
	@node $(EMULATOR) --host 127.0.0.1 --port $(EMULATOR_PORT) $${EMULATOR_USER:+--user "$$EMULATOR_USER" --password "$$EMULATOR_PASSWORD"} | { \
	  read -r url || { echo "### the emulator did not start (its error is above); if port $(EMULATOR_PORT) is taken, pick another: make emulator EMULATOR_PORT=2137" >&2; exit 1; }; \
	  echo "### in another terminal:  export YDB_CONNECTION_STRING=$$url   then: ./bin/ydb-migrate up" && \
	  if [ -n "$$EMULATOR_USER" ]; then echo "### it has one user, $$EMULATOR_USER: export YDB_USER=$$EMULATOR_USER and YDB_PASSWORD (the EMULATOR_PASSWORD you gave)"; \
	  else echo "### it has no users: log in anonymously (no YDB_USER or YDB_TOKEN); for one, make emulator EMULATOR_USER=U EMULATOR_PASSWORD=P"; fi && \
	  echo "### Ctrl-C stops it" && cat >/dev/null; }

## demo: the whole flow with no Docker, against the TEST EMULATOR (not a real YDB): up → status → down → status → sql
demo: build
	@set -euo pipefail; \
	log=$$(mktemp); \
	node $(EMULATOR) --port 0 > "$$log" & emulator=$$!; \
	trap 'kill $$emulator 2>/dev/null; rm -f "$$log"' EXIT; \
	for _ in $$(seq 100); do [ -s "$$log" ] && break; sleep 0.1; done; \
	export YDB_CONNECTION_STRING=$$(head -n 1 "$$log"); \
	echo "### ydb-migrate demo against the TEST EMULATOR at $$YDB_CONNECTION_STRING (an in-memory stand-in, not a real YDB)"; \
	echo; echo "### ydb-migrate up"; $(BIN) up; \
	echo; echo "### ydb-migrate status"; $(BIN) status; \
	echo; echo "### ydb-migrate down"; $(BIN) down; \
	echo; echo "### ydb-migrate status"; $(BIN) status; \
	mkdir -p $(OUT); \
	echo; echo "### ydb-migrate sql -o $(OUT)/demo.yql   (the offline script of the same migrations, for a DBA)"; $(BIN) sql -o $(OUT)/demo.yql; \
	echo; echo "### its first migration, after the header ($$(wc -l < $(OUT)/demo.yql) lines in all: less $(OUT)/demo.yql)"; \
	sed -n '/^-- ===== up /,$$p' $(OUT)/demo.yql | head -n 25

clean:
	rm -rf dist $(OUT)
