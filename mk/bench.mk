##@ Benchmark (etl bench: copy floor, DuckDB, Polars, Spark; docs/benchmarks.md; figures, not a test)

ETL_BENCH := node bin/etl.js bench
BENCH_ARGS := $(if $(RUNS),--reps $(RUNS)) $(if $(THREADS),--threads $(THREADS)) $(if $(MEMORY_LIMIT),--memory-limit $(MEMORY_LIMIT))
BIGRUN_LOCK ?= /tmp/etl-bigrun.lock

.PHONY: bench
bench: install ## 1M events: copy floor, DuckDB, Polars end to end, fresh process each, a new run every time; rows to results/bench/bench-1m.jsonl (RUNS=, THREADS=, MEMORY_LIMIT=)
	$(ETL_BENCH) --preset bench-1m --force $(BENCH_ARGS)

.PHONY: bench-10m
bench-10m: install ## the same at 10M events (about 2.9 GB of CSV, made if absent; run alone on the machine)
	$(ETL_BENCH) --preset bench-10m --force $(BENCH_ARGS)

.PHONY: bench-smoke
bench-smoke: install ## the smoke matrix: 3k events through floor, DuckDB, Polars and Spark, equivalence checked (make test runs it)
	$(ETL_BENCH) --preset smoke --force

.PHONY: bench-reference
bench-reference: install ## the committed reference matrix (hours; resumable: done cells are skipped), one cell at a time under $(BIGRUN_LOCK)
	$(ETL_BENCH) --preset reference --lock $(BIGRUN_LOCK)

.PHONY: bench-scale
bench-scale: install ## the 100M-event cells in a 2-core / 16 GB box (about 29 GB of CSV, generated then removed)
	$(ETL_BENCH) --preset scale --lock $(BIGRUN_LOCK)
