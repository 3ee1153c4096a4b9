##@ Data (synthetic clickstream: src/generator, data/README.md)

DATA_DIR := data/generated
GENERATE := node bin/etl.js generate --seed 42

.PHONY: data
data: $(DATA_DIR)/clickstream-1m.csv $(DATA_DIR)/clickstream-1m.parquet ## 1M-event input, CSV and Parquet (seed 42), made only if absent

.PHONY: data-10m
data-10m: $(DATA_DIR)/clickstream-10m.csv $(DATA_DIR)/clickstream-10m.parquet ## 10M-event input, CSV and Parquet (about 2.9 GB + Parquet), made only if absent

.PHONY: data-small
data-small: $(DATA_DIR)/clickstream-100k.csv ## 100k-event CSV for quick runs, made only if absent

# Order-only `install`: the files are rebuilt only when absent, never because install is phony.
$(DATA_DIR)/clickstream-100k.csv: | install
	$(GENERATE) --events 100000 --format csv --out $@ >/dev/null

$(DATA_DIR)/clickstream-1m.csv: | install
	$(GENERATE) --events 1000000 --format csv --out $@ >/dev/null

$(DATA_DIR)/clickstream-1m.parquet: | install
	$(GENERATE) --events 1000000 --format parquet --out $@ >/dev/null

$(DATA_DIR)/clickstream-10m.csv: | install
	$(GENERATE) --events 10000000 --format csv --out $@ >/dev/null

$(DATA_DIR)/clickstream-10m.parquet: | install
	$(GENERATE) --events 10000000 --format parquet --out $@ >/dev/null

.PHONY: bench-generate
bench-generate: install ## generator throughput at 10M events (EVENTS=, WORKERS=): events/s and peak RSS from /usr/bin/time -v; not a test
	bash bench/generatorThroughput.sh $(or $(EVENTS),10000000) $(WORKERS)
