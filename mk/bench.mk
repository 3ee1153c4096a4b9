##@ Benchmark (pipeline: copy floor vs DuckDB vs Polars; figures, not a test)

BENCH := node node_modules/tsx/dist/cli.mjs bench/pipelineBench.ts
BENCH_ARGS := --runs $(or $(RUNS),1) $(if $(MEMORY_LIMIT),--memory-limit $(MEMORY_LIMIT)) $(if $(THREADS),--threads $(THREADS))

.PHONY: bench
bench: install data ## 1M events: copy floor, DuckDB, Polars end to end, fresh process each; appends results/bench.jsonl (RUNS=, THREADS=, MEMORY_LIMIT= (default: each engine's own))
	$(BENCH) --input data/generated/clickstream-1m.csv --label 1m $(BENCH_ARGS)

.PHONY: bench-10m
bench-10m: install data-10m ## the same at 10M events (about 2.9 GB of CSV; run alone on the machine)
	$(BENCH) --input data/generated/clickstream-10m.csv --label 10m $(BENCH_ARGS)
