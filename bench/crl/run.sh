#!/usr/bin/env bash
# The CRL scale benchmark in one run: ours (dev.smtptls.crl.internal.ParsedCrl) against the JDK's
# CertificateFactory.generateCRL + verify + getRevokedCertificate, on a CRL that OpenSSL makes.
#
#   bench/crl/run.sh [N [DIR]]     # N=1000000, DIR=/tmp/crlbench/N; JMH=0 skips the JMH lookups
#
# Needs the jar: ./mvnw -q -o -pl crl -DskipTests install && ./mvnw -q -o -f bench/crl/pom.xml package
# Each row is a fresh JVM (default heap settings) under /usr/bin/time -v for the peak RSS.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
N=${1:-1000000}
DIR=${2:-/tmp/crlbench/$N}
JAR="$HERE/target/crl-bench.jar"
WARM=${WARM:-5}
[ -f "$JAR" ] || { echo "build first: ./mvnw -q -o -f bench/crl/pom.xml package" >&2; exit 1; }
[ -f "$DIR/crl.der" ] || "$HERE/gen-crl.sh" "$N" "$DIR"

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
rss() { awk '/Maximum resident/ {printf "%.0f", $6/1024}' "$1"; }

echo "| implementation | cold parse+verify+index (wall / CPU ms) | warm median (ms) | retained heap (MiB) | lookup, quick loop (ns) | peak RSS (MiB) |"
echo "|---|---|---|---|---|---|"
row() { # label, java opts..., impl
  local label=$1 impl=$2; shift 2
  local t; t=$(mktemp)
  local out; out=$(/usr/bin/time -v -o "$t" java "$@" -cp "$JAR" dev.smtptls.bench.crl.CrlScale "$impl" "$DIR")
  local warm; warm=$(java "$@" -cp "$JAR" dev.smtptls.bench.crl.CrlScale "$impl" "$DIR" --warm "$WARM")
  echo "| $label | $(field coldMs "$out") / $(field coldCpuMs "$out") | $(field warmMs "$warm") | $(field retainedMiB "$out") (index arrays $(field indexMiB "$out")) | $(field lookupNs "$out") | $(rss "$t") |"
  rm -f "$t"
}
row "ours" ours
row "ours, -Xmx128m" ours -Xmx128m
row "ours, entries shuffled (sort needed)" ours-unsorted
row "JDK X509CRL" jdk
t=$(mktemp)
s=$(date +%s%N); /usr/bin/time -v -o "$t" openssl crl -inform DER -in "$DIR/crl.der" -noout; e=$(date +%s%N)
echo "| openssl crl -noout (parse only) | $(( (e - s) / 1000000 )) (process) | | | | $(rss "$t") |"
rm -f "$t"

if [ "${JMH:-1}" != 0 ]; then
  echo
  java -Dcrl.dir="$DIR" -jar "$JAR" CrlLookupBenchmark -jvmArgsAppend "-Dcrl.dir=$DIR" 2>&1 \
    | sed -n '/^Benchmark/,$p;/ERROR/p'
fi
