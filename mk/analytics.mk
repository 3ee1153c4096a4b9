##@ Analytics (named questions: src/analytics/queries, docs/analytics.md)

QUERY_INPUT ?= data/generated/clickstream-10m.csv
QUERY_WAREHOUSE ?= scratch/queries-10m
QUERY_LABEL ?= 10m
# e.g. --spark-shared-jvm (one Spark process answers every question), --engines duckdb
QUERY_BENCH_FLAGS ?=

.PHONY: query-tables
query-tables: install ## DuckDB and Spark tables of QUERY_INPUT (default the 10M CSV, made if absent) in QUERY_WAREHOUSE, for bench-queries
	@$(MAKE) $(QUERY_INPUT)
	node bin/etl.js run --engine duckdb --input $(QUERY_INPUT) --warehouse $(QUERY_WAREHOUSE) > /dev/null
	node bin/etl.js run --engine spark --input $(QUERY_INPUT) --warehouse $(QUERY_WAREHOUSE) > /dev/null

.PHONY: bench-queries
bench-queries: install ## time every named question on DuckDB and Spark SQL over QUERY_WAREHOUSE, a fresh process each; rows to results/query-times/query-times.jsonl (committed)
	ETL_RESULTS_DIR=results/query-times node --import tsx src/analytics/queryTimesMain.ts --warehouse $(QUERY_WAREHOUSE) --label $(QUERY_LABEL) $(QUERY_BENCH_FLAGS)
