# Modern ETL Stack PoC. `make help` lists every target; `make demo` and `make test` are the
# two commands a new user needs. Every target that uses a tool depends on an install stamp,
# so each works on a fresh clone.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

UV_VERSION := 0.9.30
STAMPS := .stamps
UV := .tools/uv/bin/uv
PY := .venv/bin/python
NODE_BIN := node_modules/.bin
# tslab replaces node_modules/.bin/tsc with its own TypeScript 5.0.4: call the real one by path.
TSC := node node_modules/typescript/bin/tsc
JARS_DIR := .tools/jars
export JUPYTER_PATH := $(CURDIR)/.tools/jupyter
export PATH := $(CURDIR)/.venv/bin:$(CURDIR)/node_modules/.bin:$(PATH)

##@ Setup
.PHONY: install
install: $(STAMPS)/npm $(STAMPS)/build $(STAMPS)/uv $(STAMPS)/jars $(STAMPS)/tslab $(STAMPS)/chromium ## install everything: npm packages, compiled CLI (dist/), uv + Python env, pinned jars, tslab kernel, Debian's chromium

$(STAMPS)/npm: package.json package-lock.json
	@mkdir -p $(STAMPS)
	npm ci --no-audit --no-fund
	@touch $@

# bin/etl.js runs this compiled copy of src/ (no TypeScript loader at start-up) while it is
# newer than every file and folder under src/ (a folder's mtime moves when a file is added or
# removed), and src/ through tsx otherwise (docs/engines.md, "Start-up").
$(STAMPS)/build: $(STAMPS)/npm build/dist.mjs build/codeCache.cjs tsconfig.json tsconfig.build.json $(shell find src)
	node build/dist.mjs
	@touch $@

$(UV):
	python3 -m venv .tools/uv
	.tools/uv/bin/pip install --quiet uv==$(UV_VERSION)

$(STAMPS)/uv: pyproject.toml uv.lock | $(UV)
	@mkdir -p $(STAMPS)
	$(UV) sync --frozen
	@touch $@

$(STAMPS)/jars: spark/jars.txt
	@mkdir -p $(STAMPS) $(JARS_DIR)
	@grep -v '^#' spark/jars.txt | grep . | while read -r gav; do \
	  echo "fetching $$gav"; \
	  mvn -q -B dependency:copy -Dartifact="$$gav" -DoutputDirectory=$(JARS_DIR) -Dmdep.overWriteIfNewer=true; \
	done
	@touch $@

# The tslab kernel goes into a project-local Jupyter directory (JUPYTER_PATH), never ~/.local.
$(STAMPS)/tslab: $(STAMPS)/npm $(STAMPS)/uv
	@mkdir -p .tools/jupyter/kernels/tslab
	@printf '{"argv":["node","--import","tsx","%s/node_modules/tslab/bin/tslab","kernel","--config-path","{connection_file}"],"display_name":"TypeScript (tslab)","language":"typescript"}\n' "$(CURDIR)" > .tools/jupyter/kernels/tslab/kernel.json
	@touch $@

##@ Demo
DEMO_EVENTS_FILE := data/generated/clickstream-1m.csv
DEMO_ENGINES ?= duckdb polars spark
DEMO_WAREHOUSE ?= warehouse
DEMO_RESULTS := results/demo

.PHONY: demo
demo: install ## generate the 1M-event dataset if absent, run every engine into one Iceberg catalog, compare them, render the deck with a slide for this run
	@$(MAKE) $(DEMO_EVENTS_FILE)
	@mkdir -p $(DEMO_RESULTS)
	@for e in $(DEMO_ENGINES); do \
	  echo "== etl run --engine $$e --input $(DEMO_EVENTS_FILE) --warehouse $(DEMO_WAREHOUSE)" >&2; \
	  node bin/etl.js run --engine $$e --input $(DEMO_EVENTS_FILE) --warehouse $(DEMO_WAREHOUSE) > $(DEMO_RESULTS)/$$e.json; \
	done
	@echo "== side by side (wall times on this machine; see docs/engines.md for the benchmark)"
	@node bin/etl.js compare --warehouse $(DEMO_WAREHOUSE) \
	  --namespaces $$(echo $(DEMO_ENGINES) | tr ' ' ',') \
	  --summaries $(foreach e,$(DEMO_ENGINES),$(DEMO_RESULTS)/$(e).json)
	@echo "== a question for the lakehouse: top countries by purchase revenue (duckdb namespace)"
	@node bin/etl.js query --warehouse $(DEMO_WAREHOUSE) --sql \
	  "SELECT country_code, count(*) AS sessions, sum(purchase_count) AS purchases, sum(revenue_total) AS revenue, round(avg(duration_seconds) / 60, 1) AS avg_minutes FROM $(firstword $(DEMO_ENGINES)).sessions GROUP BY 1 ORDER BY revenue DESC NULLS LAST LIMIT 10"
	@echo "== the deck: reference results, cost model and a slide for this run (report/out/deck.html)"
	@$(MAKE) report-demo

##@ Quality
.PHONY: test
test: lint typecheck test-ts test-py ## everything CI runs: lint, typecheck, vitest, pytest

.PHONY: test-ts
test-ts: install ## vitest suite
	$(NODE_BIN)/vitest run

.PHONY: test-py
test-py: install notebook-types ## pytest suite (Spark, PyIceberg, the notebooks: they need the src/ declarations in build/types)
	$(PY) -m pytest

.PHONY: test-polars-out-of-core
test-polars-out-of-core: install ## the Polars, equivalence and reference tests again with Polars' out-of-core path forced (3 buckets)
	ETL_POLARS_OUT_OF_CORE=3 $(NODE_BIN)/vitest run tests/polars.test.ts tests/polars-differential.test.ts tests/polars-out-of-core.test.ts tests/engines-equal.test.ts tests/reference-engines.test.ts

.PHONY: lint
lint: install ## pre-commit's hooks on every file: whitespace, ruff, black, eslint, prettier, layers (dependency-cruiser), stands-alone check (typecheck runs in its own target)
	SKIP=typecheck $(PY) -m pre_commit run --all-files --show-diff-on-failure

.PHONY: format
format: install ## fix what the linters can fix
	$(PY) -m ruff check --fix .
	$(PY) -m black --quiet .
	$(NODE_BIN)/eslint --fix .
	$(NODE_BIN)/prettier --write --log-level warn .

.PHONY: typecheck
typecheck: install ## TypeScript strict typecheck (the real compiler, not tslab's)
	$(TSC) -p tsconfig.json --noEmit

.PHONY: env
env: install ## print versions of every engine and tool, and the IP database in use
	node bin/etl.js env

.PHONY: clean
clean: ## remove generated data, warehouses, results (not the committed results/reference and results/query-times) and scratch (keeps installs)
	rm -rf data/generated warehouse scratch spark-work .pytest_cache report/out
	@if [ -d results ]; then find results -mindepth 1 -maxdepth 1 ! -name reference ! -name query-times -exec rm -rf {} +; fi

.PHONY: distclean
distclean: clean ## also remove node_modules, .venv and .tools
	rm -rf node_modules .venv .tools dist $(STAMPS)

##@ Help
.PHONY: help
help: ## list every target with one line
	@awk 'BEGIN {FS = ":.*##"} /^##@/ {printf "\n%s\n", substr($$0, 5)} /^[a-zA-Z0-9_.-]+:.*##/ {printf "  %-18s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# Feature areas keep their targets in mk/*.mk so that they can grow side by side.
-include $(sort $(wildcard mk/*.mk))
