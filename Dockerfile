# The whole stack on one image: Node 20 (TypeScript engines), Python 3.11 + uv (Spark,
# PyIceberg, Jupyter), JDK 17 + Maven (Spark's JVM, pinned Iceberg jars).
# It calls only make targets, the same ones CI runs, so CI exercises every step it runs.
# Build: docker build -t modern-etl .   Run: docker run --rm modern-etl   (= make demo)
FROM node:20-bookworm

RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      python3 python3-venv python3-pip openjdk-17-jdk-headless maven make g++ git procps chromium fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . .
RUN make install

CMD ["make", "demo"]
