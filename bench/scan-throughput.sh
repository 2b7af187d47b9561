#!/usr/bin/env bash
# Fleet-scan throughput, side by side in one run against the same real Postfix on loopback
# (bench/postfix/postfix-lab.sh, default_process_limit raised): one `smtptls scan` process vs
# `xargs -P N openssl s_client -starttls smtp` at the same concurrency N. Reports probes per
# second, client CPU per probe (user+sys of the client processes, JVM start included for
# smtptls), the rest of the machine's CPU per probe (Postfix shares the 2 cores), and the scan's
# peak RSS for a short and a 10x longer input under the same bounded heap (flat memory: the
# longer input completes in the same -Xmx, and RSS grows only by JIT code, not with the input).
#
#   bench/scan-throughput.sh                     # N = 8 and 16, 2000 smtptls / 1000 openssl probes
#   CONCURRENCY="4 8" PROBES=5000 OPENSSL_PROBES=2000 bench/scan-throughput.sh
#
# Run by hand, as root (Postfix); not part of CI. No delay is added (see bench/probe-rtt.sh for
# round trips across a link with real delay).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${SMTPTLS_JAR:-$ROOT/examples/target/smtptls.jar}
CONCURRENCY=${CONCURRENCY:-8 16}
PROBES=${PROBES:-2000}
OPENSSL_PROBES=${OPENSSL_PROBES:-1000}
LONG=${LONG_PROBES:-$((PROBES * 10))}
# The same bounded heap for every smtptls run: RSS then shows whether memory grows with the
# input (a JVM with the default maximum heap grows it lazily whatever the program needs).
JAVA_OPTS=${JAVA_OPTS:--Xmx64m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC}

die() { echo "scan-throughput.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (Postfix)"
[ -f "$JAR" ] || die "no $JAR: build it with ./mvnw -B -q -DskipTests package"
command -v openssl >/dev/null || die "openssl not found"
[ -x /usr/bin/time ] || die "/usr/bin/time not found (Debian package time)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/smtptls-scan-bench.XXXXXX")
chmod 755 "$WORK" # the postfix user must reach the lab below it
LABDIR=$WORK/lab
cleanup() { bash "$ROOT/bench/postfix/postfix-lab.sh" stop "$LABDIR" >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

bash "$ROOT/bench/postfix/postfix-lab.sh" start "$LABDIR" 127.0.0.1 >/dev/null
prop() { grep "^$1=" "$LABDIR/postfix-lab.properties" | cut -d= -f2-; }
PORT=$(prop tlsPort)
ROOTPEM=$(prop rootPem)
CONF=$(prop configDir)
postconf -c "$CONF" -e default_process_limit=400 smtpd_client_connection_count_limit=0 >/dev/null
postfix -c "$CONF" reload >/dev/null 2>&1 || true

targets() { local n=$1 f=$WORK/targets-$1.txt; for _ in $(seq 1 "$n"); do echo "127.0.0.1:$PORT"; done > "$f"; echo "$f"; }

# shellcheck source=lib/measure.sh
. "$ROOT/bench/lib/measure.sh"
RUN_IN=()
measure_header
for n in $CONCURRENCY; do
  f=$(targets "$PROBES")
  measure "smtptls scan -c $n" "$PROBES" /dev/null java $JAVA_OPTS -jar "$JAR" scan --input "$f" --concurrency "$n" --per-host "$n" \
      --revocation none --trust "$ROOTPEM" --fast
  seq 1 "$OPENSSL_PROBES" > "$WORK/n.txt"
  # GNU xargs gives each child /dev/null as stdin, so s_client ends after the handshake; no shell
  # per probe.
  measure "xargs -P $n openssl s_client" "$OPENSSL_PROBES" /dev/null sh -c "xargs -P $n -I{} openssl s_client -starttls smtp \
      -connect 127.0.0.1:$PORT -servername mx.smtptls.test < $WORK/n.txt >/dev/null 2>&1"
done
# Flat memory: the same scan over an input ten times as long.
n=$(echo "$CONCURRENCY" | awk '{print $1}')
f=$(targets "$LONG")
measure "smtptls scan -c $n (long)" "$LONG" /dev/null java $JAVA_OPTS -jar "$JAR" scan --input "$f" --concurrency "$n" --per-host "$n" \
    --revocation none --trust "$ROOTPEM" --fast
