##@ Hardening (docs/hardening.md)
KILL_EVENTS ?= 200000
KILL_ENGINE ?= duckdb

.PHONY: kill-test
kill-test: install ## kill -9 at every named point of a $(KILL_EVENTS)-event commit over an earlier run; the tables must show one run, the next run must leave no orphan
	$(NODE_BIN)/tsx tests/crash/killDuringCommit.ts --engine $(KILL_ENGINE) --events $(KILL_EVENTS)

.PHONY: test-hardening
test-hardening: install ## hostile-input cases, query lockdown, orphans and the CI-sized kill test
	$(NODE_BIN)/vitest run tests/hardening.test.ts tests/orphans.test.ts tests/killDuringCommit.test.ts
