#!/usr/bin/env bash
# Builds bench/jmh/target/benchmarks.jar against this work tree's core and testkit without
# installing anything into ~/.m2: they go into a throwaway local repository (JMH_M2, default
# /tmp/jmh-m2), seeded once by copying ~/.m2/repository so that offline builds find the plugins,
# JMH and the library's dependencies there. Run it again after changing core or testkit.
#
#   bench/jmh/build.sh                      # JMH_M2=/tmp/jmh-m2 TARGET_DIR=target-jmh MVN_ARGS=-o
#   java -jar bench/jmh/target/benchmarks.jar ProbeBenchmark -prof gc
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
REPO=${JMH_M2:-/tmp/jmh-m2}
TARGET=${TARGET_DIR:-target-jmh}
read -r -a EXTRA <<<"${MVN_ARGS--o}"
if [ ! -d "$REPO" ]; then
  mkdir -p "$REPO"
  if [ -d "$HOME/.m2/repository" ]; then
    cp -a "$HOME/.m2/repository/." "$REPO/"
  fi
fi
cd "$ROOT"
./mvnw -B -q "${EXTRA[@]}" -Dmaven.repo.local="$REPO" -Dsmtptls.targetDir="$TARGET" -DskipTests \
  -pl core,testkit -am install
./mvnw -B -q "${EXTRA[@]}" -Dmaven.repo.local="$REPO" -f bench/jmh/pom.xml package
echo "built $ROOT/bench/jmh/target/benchmarks.jar (library from $REPO)"
