##@ Iceberg
.PHONY: iceberg-commit-cost
iceberg-commit-cost: install ## time commitStagedTables on 10M-event-sized staged output (30 days x 3 files per table)
	$(NODE_BIN)/tsx bench/measureCommitCost.ts --files-per-day $${FILES_PER_DAY:-3} --rows-per-file $${ROWS_PER_FILE:-110000}

.PHONY: test-iceberg
test-iceberg: install ## the Iceberg writer/reader tests only (vitest + PyIceberg/Spark interop)
	$(NODE_BIN)/vitest run tests/iceberg.test.ts tests/iceberg_commit.test.ts tests/iceberg_faults.test.ts
	$(PY) -m pytest tests/python/test_iceberg_interop.py
