# ydb-migrate: every target installs what it needs (npm ci) and builds first.
SHELL := /bin/bash
NPM ?= npm
BIN := ./bin/ydb-migrate
OUT := out

.PHONY: all build test sql bench clean

all: build

node_modules/.package-lock.json: package.json package-lock.json
	$(NPM) ci --no-audit --no-fund

dist/.built: node_modules/.package-lock.json tsconfig.json $(shell find lib test bench -name '*.ts' 2>/dev/null)
	npx tsc -p tsconfig.json
	@touch $@

build: dist/.built

## test: the whole suite (unit, emulator conformance, online integration); README's test command
test: build
	node --test --test-reporter=spec dist/test/

## sql: the offline script for sql/ (every migration, base → head) in out/migrations.yql
sql: build
	@mkdir -p $(OUT)
	$(BIN) sql -o $(OUT)/migrations.yql

## bench: the benchmarks (figures printed, nothing asserted)
bench: build
	node dist/bench/offline.js

clean:
	rm -rf dist $(OUT)
