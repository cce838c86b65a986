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
# The route splitter (Leptos' lazy routes): cuts the bundle at each `#[lazy]` function into
# chunks that load when first needed. Pinned: its output format must match leptos' wasm_split_helpers.
WASM_SPLIT_VERSION := 0.2.4
WASM_OPT := tools/node_modules/.bin/wasm-opt
# npm tools (binaryen, axe-core), reinstalled only when tools/package-lock.json changes.
NPM_STAMP := tools/node_modules/.installed-$(shell sha256sum tools/package-lock.json | cut -c1-16)
DIST := frontend/dist
WASM_OUT := target/wasm32-unknown-unknown/wasm-release/trellis-frontend.wasm
# Python tools (schemathesis, openapi-spec-validator, vobject, brotli): a virtualenv under tools/,
# rebuilt only when tools/requirements.txt changes.
VENV := tools/venv
PY_STAMP := $(VENV)/.installed-$(shell sha256sum tools/requirements.txt | cut -c1-16)
# The size budgets, brotli as served, measured by tools/assets.py. Goals, never raised to fit
# (issue 28); BENCHMARKS.md says where the bytes go.
# First visit: index.html, css, icon, boot.js and the shell's js and wasm (shell, sign-in, home).
# The build fails above it.
# Any other route: the part of the app it belongs to, with the shared chunks that part loads.
# Reported, not yet a gate: three parts are over it (learning, trust, delivery), by the size of
# their code; issue 28 stays open until they fit.
FIRST_VISIT_BUDGET := 250000
ROUTE_BUDGET := 120000

.PHONY: help run build test lint wasm-check spec tools py-tools frontend clean-frontend contract bench bench-load

help:
	@echo "make run    build everything, migrate, seed the demo data, serve on http://127.0.0.1:8080"
	@echo "make test   format, lint, wasm check, and every test suite on SQLite and PostgreSQL, plus the browser test"
	@echo "make spec   regenerate api-spec/openapi.json"
	@echo "make bench  the release server on a national-scale dataset under wrk, on SQLite and PostgreSQL,"
	@echo "            and the app loading in Chromium on an emulated 1.6 Mbps school line (make bench-load)"

## Tools: installed once, cached in ~/.cargo/bin and tools/node_modules.
tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@if [ "$$(wasm-bindgen --version 2>/dev/null | awk '{print $$2}')" != "$(WASM_BINDGEN_VERSION)" ]; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (matches Cargo.lock)"; \
	  $(CARGO) install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --force; \
	fi
	@if ! $(CARGO) install --list | grep -qx "wasm_split_cli_support v$(WASM_SPLIT_VERSION):"; then \
	  echo "installing wasm-split-cli $(WASM_SPLIT_VERSION)"; \
	  $(CARGO) install wasm_split_cli_support --version $(WASM_SPLIT_VERSION) --features build-binary --locked --force; \
	fi
	@[ -f $(NPM_STAMP) ] || (cd tools && rm -f node_modules/.installed-* && npm ci --no-audit --no-fund && touch ../$(NPM_STAMP))

py-tools: $(PY_STAMP)

$(PY_STAMP): tools/requirements.txt
	rm -rf $(VENV)
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r tools/requirements.txt
	touch $@

## The SPA: Leptos compiled to wasm32 (linked with relocations, .cargo/config.toml), cut into
## per-route chunks by wasm-split-cli, bound with wasm-bindgen, shrunk with wasm-opt, then hashed,
## compressed and measured against the budgets by tools/assets.py.
frontend: tools py-tools
	$(CARGO) build -p trellis-frontend --target wasm32-unknown-unknown --profile wasm-release
	rm -rf $(DIST) && mkdir -p $(DIST)/split
	wasm-split-cli $(WASM_OUT) $(DIST)/split --out-name trellis
	wasm-bindgen --target web --no-typescript --keep-lld-exports --no-demangle \
	  --out-dir $(DIST) --out-name trellis $(DIST)/split/trellis.wasm
	rm $(DIST)/split/trellis.wasm
	ls $(DIST)/trellis_bg.wasm $(DIST)/split/*.wasm | xargs -P 2 -I {} $(WASM_OPT) -Oz --enable-bulk-memory \
	  --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals {} -o {}
	cp frontend/static/* $(DIST)/
	$(VENV)/bin/python tools/assets.py $(DIST) $(FIRST_VISIT_BUDGET) $(ROUTE_BUDGET) frontend/src/routes.rs

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
	$(MAKE) --no-print-directory bench-load

# The SPA loading in headless Chromium on an emulated school line (e2e/examples/load.rs).
bench-load: frontend
	$(CARGO) run -q -p trellis-e2e --example load

test: lint wasm-check frontend py-tools
	@command -v chromedriver >/dev/null || { echo "chromedriver is missing: apt-get install chromium chromium-driver (.ci/run does this)"; exit 1; }
	@pg_isready -q -d "$$TRELLIS_TEST_POSTGRES_URL" || { echo "PostgreSQL is not answering at $$TRELLIS_TEST_POSTGRES_URL"; exit 1; }
	$(CARGO) test --workspace --exclude trellis-frontend
	# The SPA's own pure pieces (chart scales, number formats), natively.
	$(CARGO) test -p trellis-frontend
	$(MAKE) --no-print-directory contract
