#!/usr/bin/env bash
# Builds and runs every benchmark of docs/benchmarks.md: measures 1-4 (this module, against the
# simulated server) and measure 5 (DJL scoring, the JMH benchmark of tpo-reward-djl).
# Options are passed to the harness, e.g. --only 1,3 or --quick. Exit status 0 when every target
# of measures 1-4 is met.
set -u
cd "$(dirname "$0")/.."
mvn -B -q -pl tpo-benchmarks -am package -DskipTests || exit 2
java -jar tpo-benchmarks/target/tpo-benchmarks.jar "$@"
status=$?
echo
echo "Measure 5: DJL scorer, batched vs one by one (JMH, tpo-reward-djl)"
mvn -B -q -pl tpo-reward-djl -am test-compile -Pbench || status=2
exit $status
