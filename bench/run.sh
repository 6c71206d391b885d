#!/usr/bin/env bash
# Builds the main classes, compiles the benchmark harness (bench/src/main/java) into
# target/bench-classes and runs it. Arguments go to the harness, e.g. --quick or --only=limit.
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -q -B -Pbench -DskipTests compile
CLASSPATH_FILE=target/bench.classpath
CP="target/classes:$(cat "$CLASSPATH_FILE")"

rm -rf target/bench-classes
mkdir -p target/bench-classes
javac -nowarn -d target/bench-classes -cp "$CP" $(find bench/src/main/java -name '*.java')

# OpenMP threads that spin while they wait slow every ND4J op 10-20 times when another process
# wants the cores (measured by the thread sweep); passive waiting costs little on an idle machine.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"

exec java -Xmx3g -Dorg.bytedeco.javacpp.maxbytes=4g -Dorg.bytedeco.javacpp.maxphysicalbytes=7g -Dlogback.configurationFile=bench/logback-bench.xml -cp "target/bench-classes:$CP" dev.gradlens.bench.Bench "$@"
