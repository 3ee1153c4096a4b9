##@ Rules (spec helpers, reference pipeline, golden files)

.PHONY: golden-input
golden-input: install ## rewrite tests/fixtures/golden/input.csv from its hand-written source make_input.py
	$(PY) tests/fixtures/golden/make_input.py

.PHONY: golden
golden: install ## regenerate golden input.parquet + expected/*.csv with the reference pipeline (then review by eye)
	$(NODE_BIN)/tsx src/reference/goldenMain.ts
	git --no-pager diff --stat -- tests/fixtures/golden

.PHONY: test-rules
test-rules: install ## the rules helper's tests: canonical form, spec vectors, reference pipeline on golden files
	$(NODE_BIN)/vitest run tests/canonical.test.ts tests/spec.test.ts tests/reference.test.ts tests/reference-engines.test.ts

.PHONY: compare-reference
compare-reference: install ## ENGINE=duckdb|polars INPUT=file: engine's staged output vs the reference pipeline, table by table (small inputs)
	$(NODE_BIN)/tsx src/harness/compareMain.ts $(or $(ENGINE),duckdb) $(or $(INPUT),tests/fixtures/golden/input.csv)

.PHONY: fuzz-rules
fuzz-rules: install ## adversarial CSVs from the vector edge cases: DuckDB and Polars vs the reference (ENGINES=, ROWS=, SEEDS=)
	ENGINES="$${ENGINES:-duckdb,polars}" $(NODE_BIN)/tsx src/harness/fuzzMain.ts $(or $(ROWS),3000) $(or $(SEEDS),1 2 3)
