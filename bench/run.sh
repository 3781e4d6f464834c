#!/usr/bin/env bash
# The benchmark: starts the Airtable double (its own JVM) and the Firestore emulator, runs real scans through the
# real routes, prints a Markdown table and writes it to target/benchmark.md. Not part of `mvn verify`.
# Figures 1-5: one base; 6-7: 10 and 100 bases scanned at once; 8: start-up with 200 schedule documents; 9: 20
# schedules firing in the same second; 10-11: fresh java -jar starts on a busy machine and with network jitter;
# 12: a scan with and without field projection (fields[]); 13: the run-to-run diff (20,000 issues, 500 fixed and 300
# new between two runs: exact counts, its extra time and heap, its state's size); 14: 500,000 issues diffed under -Xmx256m.
#   bash bench/run.sh                        # full benchmark, 3 measured runs per figure (about 5 minutes)
#   BENCH_OPTS="-Dbench.runs=5" bash bench/run.sh
#   BENCH_OPTS="-Dbench.scale=10 -Dbench.only=2,5" bash bench/run.sh   # quick smoke run of some figures
#   MVN_ARGS="-o" bash bench/run.sh          # Maven offline
#   JAVA_OPTS="-XX:StartFlightRecording=filename=target/bench.jfr" bash bench/run.sh   # profile
set -euo pipefail
cd "$(dirname "$0")/.."
# figures 10 and 11 start the packaged jar
mvn -B -q ${MVN_ARGS:-} -DskipTests package
mvn -B -q ${MVN_ARGS:-} dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
# -Xmx256m: the memory target; the heap cannot grow past it, so a run that needs more fails with OutOfMemoryError.
exec java -Xmx256m ${JAVA_OPTS:-} ${BENCH_OPTS:-} \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  com.airtableintegrity.bench.IntegrityBenchmark
