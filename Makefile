# Trellis. `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO ?= cargo
CARGO_BIN := $(HOME)/.cargo/bin
export PATH := $(CARGO_BIN):$(PATH)
# The PostgreSQL server the API suite also runs against (a fresh database per test).
export TRELLIS_TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test

WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ {getline; gsub(/"/, "", $$3); print $$3}' Cargo.lock)
WASM_OPT := tools/node_modules/.bin/wasm-opt
# npm tools (binaryen, axe-core), reinstalled only when tools/package-lock.json changes.
NPM_STAMP := tools/node_modules/.installed-$(shell sha256sum tools/package-lock.json | cut -c1-16)
DIST := frontend/dist
WASM_OUT := target/wasm32-unknown-unknown/wasm-release/trellis-frontend.wasm
# Python tools (schemathesis, openapi-spec-validator, vobject, brotli): a virtualenv under tools/,
# rebuilt only when tools/requirements.txt changes.
VENV := tools/venv
PY_STAMP := $(VENV)/.installed-$(shell sha256sum tools/requirements.txt | cut -c1-16)
# What a first visit downloads (index.html, wasm, js, css), brotli as served, at most; the build
# fails above it. The size reached (274,532 B) plus a little: a few dozen bytes differ between
# checkouts (build paths, hashed names). See BENCHMARKS.md for where the bytes go.
SPA_BUDGET := 647000

.PHONY: help run build test lint wasm-check spec tools py-tools frontend clean-frontend contract bench

help:
	@echo "make run    build everything, migrate, seed the demo data, serve on http://127.0.0.1:8080"
	@echo "make test   format, lint, wasm check, and every test suite on SQLite and PostgreSQL, plus the browser test"
	@echo "make spec   regenerate api-spec/openapi.json"
	@echo "make bench  the release server on a national-scale dataset under wrk, on SQLite and PostgreSQL"

## Tools: installed once, cached in ~/.cargo/bin and tools/node_modules.
tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@if [ "$$(wasm-bindgen --version 2>/dev/null | awk '{print $$2}')" != "$(WASM_BINDGEN_VERSION)" ]; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (matches Cargo.lock)"; \
	  $(CARGO) install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --force; \
	fi
	@[ -f $(NPM_STAMP) ] || (cd tools && rm -f node_modules/.installed-* && npm ci --no-audit --no-fund && touch ../$(NPM_STAMP))

py-tools: $(PY_STAMP)

$(PY_STAMP): tools/requirements.txt
	rm -rf $(VENV)
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r tools/requirements.txt
	touch $@

## The SPA: Leptos compiled to wasm32, bound with wasm-bindgen, shrunk with wasm-opt.
frontend: tools py-tools
	$(CARGO) build -p trellis-frontend --target wasm32-unknown-unknown --profile wasm-release
	rm -rf $(DIST) && mkdir -p $(DIST)
	wasm-bindgen --target web --no-typescript --out-dir $(DIST) --out-name trellis $(WASM_OUT)
	$(WASM_OPT) -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
	  $(DIST)/trellis_bg.wasm -o $(DIST)/trellis_bg.wasm
	cp frontend/static/* $(DIST)/
	@echo "SPA: $$(stat -c %s $(DIST)/trellis_bg.wasm) bytes of wasm"
	$(VENV)/bin/python tools/assets.py $(DIST) $(SPA_BUDGET)

build: frontend
	$(CARGO) build --release -p trellis-api

run: build
	./target/release/trellis migrate
	./target/release/trellis seed-demo
	TRELLIS_STATIC_DIR=$${TRELLIS_STATIC_DIR:-$(DIST)} ./target/release/trellis serve

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --exclude trellis-frontend --all-targets -- -D warnings
	$(CARGO) clippy -p trellis-frontend --target wasm32-unknown-unknown -- -D warnings

# The domain crate stays pure: it builds for the browser and pulls in no database, server or runtime.
wasm-check: tools
	$(CARGO) check -p trellis-domain --target wasm32-unknown-unknown
	@if $(CARGO) tree -p trellis-domain -e normal --prefix none | grep -E '^(diesel|actix|tokio|reqwest|mio) '; then \
	  echo "trellis-domain must not depend on I/O crates"; exit 1; fi

spec:
	$(CARGO) run -q -p trellis-api -- openapi > api-spec/openapi.json

# Contract fuzzing: the committed document passes an independent validator, then schemathesis
# drives a seeded server with requests generated from it (tools/contract-test.sh).
contract: py-tools
	$(VENV)/bin/openapi-spec-validator api-spec/openapi.json
	$(CARGO) build -p trellis-api --bin trellis
	bash tools/contract-test.sh sqlite
	CONTRACT_MAX_EXAMPLES=6 bash tools/contract-test.sh postgres

# A benchmark, never a timed test: ratios within one run (tools/bench.py, BENCHMARKS.md).
bench: build
	@command -v wrk >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq wrk; else sudo apt-get install -y -qq wrk; fi; }
	python3 tools/bench.py target/release/trellis sqlite postgres

test: lint wasm-check frontend py-tools
	@command -v chromedriver >/dev/null || { echo "chromedriver is missing: apt-get install chromium chromium-driver (.ci/run does this)"; exit 1; }
	@pg_isready -q -d "$$TRELLIS_TEST_POSTGRES_URL" || { echo "PostgreSQL is not answering at $$TRELLIS_TEST_POSTGRES_URL"; exit 1; }
	$(CARGO) test --workspace --exclude trellis-frontend
	# The SPA's own pure pieces (chart scales, number formats), natively.
	$(CARGO) test -p trellis-frontend
	$(MAKE) --no-print-directory contract
