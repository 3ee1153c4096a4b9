##@ Spark
SPARK_INPUT ?= data/generated/clickstream-1m.csv
SPARK_WORKERS ?= 2
SPARK_CORES ?= 1
SPARK_MEMORY ?= 2g

# jvm_peak runs the command and prints each JVM's peak RSS (the cluster's JVMs included).
JVM_PEAK := $(PY) spark/tools/jvm_peak.py --

.PHONY: spark-run
spark-run: install ## the Spark baseline on SPARK_INPUT (default 1M CSV) in local mode into ./warehouse, namespace spark; prints JVM peak RSS
	$(JVM_PEAK) node bin/etl.js run --engine spark --input $(SPARK_INPUT)

.PHONY: spark-cluster-start
spark-cluster-start: install ## start a standalone master + SPARK_WORKERS workers on 127.0.0.1:7077 (SPARK_CORES, SPARK_MEMORY each)
	node bin/etl.js spark-cluster start --workers $(SPARK_WORKERS) --cores $(SPARK_CORES) --memory $(SPARK_MEMORY)

.PHONY: spark-cluster-run
spark-cluster-run: install ## the Spark baseline on SPARK_INPUT on the running standalone cluster; prints every JVM's peak RSS
	$(JVM_PEAK) node bin/etl.js run --engine spark --spark-master spark://127.0.0.1:7077 --input $(SPARK_INPUT)

.PHONY: spark-cluster-stop
spark-cluster-stop: install ## stop the standalone cluster (master, workers, executors)
	node bin/etl.js spark-cluster stop

.PHONY: test-spark
test-spark: install ## the Spark tests only: pytest (vectors, golden, bad inputs) and vitest (engine, cluster)
	$(PY) -m pytest tests/python/test_spark_spec.py tests/python/test_spark_pipeline.py tests/python/test_spark_smoke.py
	$(NODE_BIN)/vitest run tests/spark.test.ts tests/spark-cluster.test.ts
